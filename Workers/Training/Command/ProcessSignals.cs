using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HpSearch.Workers.Training.Command;

/// <summary>Stops a child process politely: SIGTERM, then SIGKILL (of its whole tree) after a grace period.</summary>
public static partial class ProcessSignals
{
    private const int SigTerm = 15;

    private const int SigKill = 9;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>The setsid program (util-linux) when present: a child started through it leads its own process group, so
    /// signals sent to the group reach every process it started.</summary>
    public static string? SetSid { get; } =
        OperatingSystem.IsWindows() ? null : new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    /// <summary>Returns once the process has exited; true when it went on SIGTERM alone.</summary>
    public static async Task<bool> TerminateAsync(Process process, TimeSpan grace)
    {
        if (process.HasExited) return true;
        if (OperatingSystem.IsWindows()) process.Kill(entireProcessTree: true);
        else Signal(process.Id, SigTerm);
        using var wait = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            if (!OperatingSystem.IsWindows()) Signal(process.Id, SigKill);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            return false;
        }
    }

    /// <summary>Signals the process group the child leads (started through setsid), else the child alone.</summary>
    private static void Signal(int pid, int signal)
    {
        if (SetSid is null || Kill(-pid, signal) != 0) Kill(pid, signal);
    }
}
