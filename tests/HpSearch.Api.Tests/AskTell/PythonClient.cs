using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace HpSearch.Api.Tests.AskTell;

/// <summary>Runs asktell_client.py (the hpsearch_client package) with Debian's /usr/bin/python3 and collects the JSON
/// events it prints. Disposing kills it if it still runs.</summary>
public sealed class PythonClient : IDisposable
{
    public static readonly string Script = Path.Combine(AppContext.BaseDirectory, "AskTell", "asktell_client.py");

    private readonly Process _process;
    private readonly ConcurrentQueue<JsonElement> _events = new();
    private readonly System.Text.StringBuilder _output = new();

    private PythonClient(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Collect(e.Data, parse: true);
        process.ErrorDataReceived += (_, e) => Collect(e.Data, parse: false);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static PythonClient Start(params string[] args)
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Script);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        return new PythonClient(Process.Start(info)!);
    }

    public int Pid => _process.Id;

    public IReadOnlyList<JsonElement> Events => [.. _events];

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>The first event named <paramref name="name"/>, waiting up to <paramref name="timeout"/>.</summary>
    public async Task<JsonElement> EventAsync(string name, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            foreach (var e in _events)
                if (e.GetProperty("event").GetString() == name) return e;
            if (_process.HasExited && _events.All(e => e.GetProperty("event").GetString() != name))
            {
                _process.WaitForExit(); // drain the output
                if (_events.FirstOrDefault(e => e.GetProperty("event").GetString() == name) is { ValueKind: JsonValueKind.Object } late) return late;
                throw new Xunit.Sdk.XunitException($"the client exited ({_process.ExitCode}) without a '{name}' event:\n{Output}");
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"no '{name}' event within {timeout}:\n{Output}");
    }

    public async Task<int> ExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the client dies mid-trial without a word to the service.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    private void Collect(string? line, bool parse)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        if (!parse) return;
        try
        {
            using var doc = JsonDocument.Parse(line);
            _events.Enqueue(doc.RootElement.Clone());
        }
        catch (JsonException)
        {
            // Not an event (a stray print): kept in Output only.
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }
}
