using System.Diagnostics;
using System.Text;

namespace HpSearch.Api.Tests.Cluster;

/// <summary>A worker-only node (HpSearch.Workers.dll from the test's output folder) in its own process; killed with its
/// children on dispose so no test leaves a process behind.</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WorkerProcess(Process process) => _process = process;

    public string Output { get { lock (_output) return _output.ToString(); } }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts a worker-only node, or with <paramref name="assembly"/> "HpSearch.Api.dll" the API (with its pool).</summary>
    public static WorkerProcess Start(IReadOnlyDictionary<string, string> environment, string assembly = "HpSearch.Workers.dll")
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, assembly)])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (k, v) in environment) info.Environment[k] = v;
        var process = new Process { StartInfo = info };
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) => worker.Append(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>SIGTERM first (a clean stop hands running trials back), then kill after a grace period.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        Process.Start("kill", ["-TERM", _process.Id.ToString()])?.WaitForExit();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try { await _process.WaitForExitAsync(grace.Token); }
        catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
    }

    /// <summary>Sends a signal (KILL, STOP, CONT) to the node process itself.</summary>
    public void Signal(string signal)
    {
        if (_process.HasExited) return;
        Process.Start("kill", [$"-{signal}", _process.Id.ToString()])?.WaitForExit();
    }

    /// <summary>kill -9, then waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        Signal("KILL");
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(wait.Token);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Signal("CONT"); // a stopped process cannot act on anything but SIGKILL, which Kill sends anyway
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
