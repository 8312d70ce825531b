using System.Text.Json.Nodes;
using HpSearch.Workers.Data;

namespace HpSearch.Benchmarks.Engine;

/// <summary>Runs <c>peers/torch_engine.py</c> (Debian's python3-torch) on exactly the same splits as the engine.</summary>
internal static class TorchPeer
{
    public static async Task<JsonObject> RunAsync(EngineBenchOptions o, DatasetCatalog catalog)
    {
        var data = await catalog.LoadAsync(o.Dataset, default);
        var export = PythonPeer.Export(data, o.Cache);
        var lines = await PythonPeer.RunAsync(o.Python, "torch_engine.py",
            ["--data", export, "--model", o.Model, "--batch-size", $"{o.BatchSize}", "--epochs", $"{o.Epochs}",
             "--threads", $"{o.Threads}", "--seed", $"{o.Seed}", "--height", $"{data.Height}", "--width", $"{data.Width}", "--channels", $"{data.Channels}"],
            o.Threads);
        return lines[^1];
    }
}
