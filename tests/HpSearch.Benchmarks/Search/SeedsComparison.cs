using System.Text.Json.Nodes;
using HpSearch.Workers.Data;

namespace HpSearch.Benchmarks.Search;

/// <summary>
/// Issue 14's measurement (<c>bench search --seeds 1,2,3 --peer optuna</c>): per seed, the service's random + ASHA,
/// tpe + ASHA and bohb, then Optuna's TPE + successive halving on the same data, each printed as a line; then the means
/// over the seeds and the goals against Optuna's own result in this run: mean best validation accuracy ≥ Optuna's,
/// ≤ ½ of its wall time, no more epochs.
/// </summary>
internal static class SeedsComparison
{
    private static readonly (string Name, string Strategy)[] Arms = [("random+asha", "random"), ("tpe+asha", "tpe"), ("bohb", "bohb")];

    public static async Task RunAsync(SearchBenchOptions o, HttpClient client, DatasetCatalog catalog)
    {
        var lines = new Dictionary<string, List<JsonObject>>();
        void Add(string arm, JsonObject line)
        {
            line["arm"] = arm;
            (lines.TryGetValue(arm, out var l) ? l : lines[arm] = []).Add(line);
            Console.WriteLine(line.ToJsonString());
        }

        foreach (var seed in o.Seeds)
        {
            foreach (var (name, strategy) in Arms)
            {
                var run = o with { Seed = seed, Strategy = strategy, Runs = ["asha"] };
                var (detail, seconds) = await SearchBenchmark.RunExperimentAsync(client, SearchSpecs.Sweep(run, "asha"));
                Add(name, SearchBenchmark.RunLine(run, "asha", detail, seconds));
            }
            if (o.Peer == "optuna")
            {
                var peer = await OptunaPeer.RunAsync(o with { Seed = seed, Strategy = "tpe", Runs = ["asha"] }, catalog);
                foreach (var p in peer) Add("optuna-tpe+sha", p);
            }
        }

        var summary = new JsonObject { ["benchmark"] = "search-seeds", ["seeds"] = new JsonArray(o.Seeds.Select(s => (JsonNode)s).ToArray()),
            ["cpu"] = CpuModel(), ["loadAverage"] = SearchBenchmark.LoadAverage() };
        var means = new Dictionary<string, (double Acc, double Wall, double Epochs)>();
        foreach (var (arm, list) in lines)
        {
            var m = (Acc: Mean(list, "bestValAccuracy"), Wall: Mean(list, "wallSeconds"), Epochs: Mean(list, "epochsTrained"));
            means[arm] = m;
            summary[arm] = new JsonObject
            {
                ["meanBestValAccuracy"] = Math.Round(m.Acc, 4), ["meanWallSeconds"] = Math.Round(m.Wall, 1), ["meanEpochs"] = Math.Round(m.Epochs, 1),
                ["bestValAccuracies"] = new JsonArray(list.Select(l => (JsonNode?)l["bestValAccuracy"]?.DeepClone()).ToArray()),
            };
        }
        if (means.TryGetValue("optuna-tpe+sha", out var peerMean))
            foreach (var arm in new[] { "tpe+asha", "bohb", "random+asha" })
            {
                if (!means.TryGetValue(arm, out var m)) continue;
                var wallRatio = m.Wall / peerMean.Wall;
                ((JsonObject)summary[arm]!)["vsOptuna"] = new JsonObject
                {
                    ["accuracyDiff"] = Math.Round(m.Acc - peerMean.Acc, 4), ["wallRatio"] = Math.Round(wallRatio, 3),
                    ["epochsRatio"] = Math.Round(m.Epochs / peerMean.Epochs, 3),
                    ["met"] = new JsonObject { ["accuracy"] = m.Acc >= peerMean.Acc, ["wall"] = wallRatio <= 0.5, ["epochs"] = m.Epochs <= peerMean.Epochs },
                };
            }
        Console.WriteLine(summary.ToJsonString());
    }

    private static double Mean(List<JsonObject> lines, string key) =>
        lines.Select(l => SearchBenchmark.D(l, key)).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();

    private static string? CpuModel() =>
        File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() : null;
}
