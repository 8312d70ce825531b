using System.Diagnostics;
using System.Text.Json.Nodes;

namespace HpSearch.Benchmarks.Engine;

/// <summary>Runs the TorchSharp trainer (the service's own <c>torchsharp</c> code path, libtorch 2.10) on the same splits,
/// in a child process of this program (<c>engine --peer torchsharp</c>), so its peak RSS is its own.</summary>
internal static class TorchSharpPeer
{
    public static async Task<JsonObject> RunAsync(EngineBenchOptions o)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(TorchSharpPeer).Assembly.Location);
        foreach (var a in new[] { "engine", "--peer", "torchsharp", "--model", o.Model, "--dataset", o.Dataset, "--batch-size", $"{o.BatchSize}",
                     "--epochs", $"{o.Epochs}", "--threads", $"{o.Threads}", "--seed", $"{o.Seed}", "--cache", o.Cache })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {self}.");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"the TorchSharp peer failed ({p.ExitCode}): {await stderr}");
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith('{'));
        return JsonNode.Parse(line)!.AsObject();
    }
}
