using System.Text.Json.Nodes;
using HpSearch.Workers.Data;

namespace HpSearch.Benchmarks.Search;

/// <summary>Runs <c>peers/optuna_search.py</c> (Debian's python3-optuna + python3-torch): the same sweep on the same
/// exported splits, without pruning, with MedianPruner and with SuccessiveHalvingPruner; one JSON object per run.</summary>
internal static class OptunaPeer
{
    /// <param name="configs">The service's trial parameters in trial order, for Optuna to try the same configurations
    /// (<c>study.enqueue_trial</c>); null lets Optuna's RandomSampler draw its own.</param>
    public static async Task<List<JsonObject>> RunAsync(SearchBenchOptions o, DatasetCatalog catalog, JsonArray? configs = null)
    {
        var export = PythonPeer.Export(await catalog.LoadAsync(o.Dataset, default), o.Cache);
        var runs = string.Join(',', o.Runs.Select(r => r == "asha" ? "sha" : r));
        // Optuna runs trials one after another; its PyTorch gets every core the service's slots share.
        var threads = o.Slots * o.Threads;
        List<string> args = ["--data", export, "--runs", runs, "--trials", $"{o.Trials}", "--epochs", $"{o.Epochs}", "--batch-size", "128",
            "--threads", $"{threads}", "--seed", $"{o.Seed}", "--sampler", o.Strategy == "random" ? "random" : "tpe"];
        if (configs is not null)
        {
            var file = Path.Combine(o.Cache, "optuna-configs.json");
            await File.WriteAllTextAsync(file, configs.ToJsonString());
            args.AddRange(["--configs", file]);
        }
        return await PythonPeer.RunAsync(o.Python, "optuna_search.py", [.. args], threads);
    }
}
