using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HpSearch.Workers.Training.Command;

/// <summary>Stops a child process politely: SIGTERM, then SIGKILL (of its whole tree) after a grace period.</summary>
public static partial class ProcessSignals
{
    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>Returns once the process has exited; true when it went on SIGTERM alone.</summary>
    public static async Task<bool> TerminateAsync(Process process, TimeSpan grace)
    {
        if (process.HasExited) return true;
        if (OperatingSystem.IsWindows()) process.Kill(entireProcessTree: true);
        else Kill(process.Id, SigTerm);
        using var wait = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            return false;
        }
    }
}
