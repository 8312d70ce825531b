using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HpSearch.Domain.Strategies;
using HpSearch.Workers.Data;
using HpSearch.Workers.Training;
using HpSearch.Workers.Training.Builtin;

namespace HpSearch.Benchmarks.Engine;

/// <summary><c>bench engine</c>: trains the reference models on a real data set with the built-in trainer (the
/// product's own code path) and prints one JSON line: throughput, accuracies, peak RSS, GEMM backend. With
/// <c>--peer torch</c> the same run in PyTorch; with <c>--compare</c> both, side by side, with the ratios.</summary>
internal static class EngineBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        EngineBenchOptions o;
        try { o = EngineBenchOptions.Parse(args); }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }
        var catalog = new DatasetCatalog(new DatasetOptions { CacheDirectory = o.Cache });
        bool engineRuns = o.Compare || o.Peer is null, peerRuns = o.Compare || o.Peer == "torch";
        // Runs alternate (engine, peer, engine, peer, …) so both see the same background load; run i uses seed + i.
        var engines = new List<JsonObject>();
        var torches = new List<JsonObject>();
        for (int i = 0; i < Math.Max(1, o.Runs); i++)
        {
            var oi = o with { Seed = o.Seed + i };
            if (engineRuns) engines.Add(await RunEngineAsync(oi, catalog));
            if (peerRuns) torches.Add(await TorchPeer.RunAsync(oi, catalog));
        }
        if (!o.Compare)
        {
            Console.WriteLine(Summarise(engineRuns ? engines : torches).ToJsonString());
            return 0;
        }
        var engine = Summarise(engines);
        var torch = Summarise(torches);
        var result = new JsonObject
        {
            ["engine"] = engine,
            ["torch"] = torch,
            ["samplesPerSecRatio"] = Math.Round((double)engine["trainSamplesPerSec"]! / (double)torch["trainSamplesPerSec"]!, 2),
            ["peakRssRatio"] = Math.Round((double)engine["maxPeakRssMb"]! / (double)torch["maxPeakRssMb"]!, 2),
            ["testAccuracyDiffPp"] = Math.Round(100 * ((double)engine["meanTestAccuracy"]! - (double)torch["meanTestAccuracy"]!), 2),
        };
        Console.WriteLine(result.ToJsonString());
        return 0;
    }

    /// <summary>The run with the median throughput, plus every run's throughput and the mean accuracies over the runs' seeds.</summary>
    private static JsonObject Summarise(List<JsonObject> results)
    {
        var sorted = results.OrderBy(r => (double)r["trainSamplesPerSec"]!).ToList();
        var median = sorted[sorted.Count / 2];
        median["runs"] = results.Count;
        median["allSamplesPerSec"] = new JsonArray(results.Select(r => (JsonNode)JsonValue.Create((double)r["trainSamplesPerSec"]!)).ToArray());
        median["meanValAccuracy"] = Math.Round(results.Average(r => (double)r["valAccuracy"]!), 4);
        median["meanTestAccuracy"] = Math.Round(results.Average(r => (double)r["testAccuracy"]!), 4);
        median["maxPeakRssMb"] = results.Max(r => (double)r["peakRssMb"]!);
        return median;
    }

    private static async Task<JsonObject> RunEngineAsync(EngineBenchOptions o, DatasetCatalog catalog)
    {
        var trainer = new BuiltinTrainer(catalog, new BuiltinTrainerOptions { Threads = o.Threads, Gemm = o.Gemm });
        var p = ReferenceModel(o);
        var request = new TrainRequest(Guid.NewGuid(), 1, o.Dataset, p, o.Epochs, o.Seed, TrialOptions.Default);
        var observer = new BenchObserver();
        var data = await catalog.LoadAsync(o.Dataset, default);
        var total = Stopwatch.StartNew();
        var outcome = await trainer.TrainAsync(request, observer, default);
        double wall = total.Elapsed.TotalSeconds;
        var last = observer.Epochs[^1].Metrics;
        double trainSeconds = observer.Epochs.Sum(e => e.Metrics["trainSeconds"]);
        // Test accuracy of the best-validation checkpoint (the trial job's rule); the peer scores its final weights,
        // which over a few epochs is almost always the same epoch (checkpointEpoch says which).
        var test = await trainer.EvaluateTestAsync(request, outcome.Checkpoint!, default);
        return new JsonObject
        {
            ["impl"] = "hpsearch",
            ["model"] = o.Model, ["dataset"] = o.Dataset, ["batchSize"] = o.BatchSize, ["epochs"] = o.Epochs, ["threads"] = o.Threads,
            ["gemm"] = trainer.GemmBackend,
            ["trainSamplesPerSec"] = Math.Round(data.TrainCount * observer.Epochs.Count / trainSeconds),
            ["trainLoss"] = Math.Round(last["trainLoss"], 4),
            ["valAccuracy"] = Math.Round(last["valAccuracy"], 4),
            ["testAccuracy"] = Math.Round(test!.TestAccuracy, 4),
            ["checkpointEpoch"] = outcome.CheckpointEpoch,
            ["peakRssMb"] = Math.Round(PeakRssMb(), 1),
            ["trainSeconds"] = Math.Round(trainSeconds, 2),
            ["wallSeconds"] = Math.Round(wall, 2),
        };
    }

    /// <summary>The reference models: MLP 784-256-256-10 (ReLU, He, Adam 1e-3) and
    /// CNN conv3×3-32 → pool → conv3×3-64 → pool → fc128 → fc10.</summary>
    public static Dictionary<string, object> ReferenceModel(EngineBenchOptions o) => new()
    {
        ["model"] = o.Model,
        ["hidden"] = o.Model == "mlp" ? new List<object> { 256L, 256L } : new List<object> { 128L },
        ["convChannels"] = new List<object> { 32L, 64L }, ["convKernel"] = 3L, ["convPadding"] = 1L,
        ["activation"] = "relu", ["init"] = "he", ["optimizer"] = "adam", ["lr"] = 1e-3,
        ["batchSize"] = (long)o.BatchSize, ["epochs"] = (long)o.Epochs,
    };

    public static double PeakRssMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        return double.NaN;
    }

    private sealed class BenchObserver : ITrainingObserver
    {
        public List<EpochReport> Epochs { get; } = [];
        public ValueTask OnSummaryAsync(string key, double value, CancellationToken cancellationToken) => ValueTask.CompletedTask;
        public ValueTask<bool> OnEpochAsync(EpochReport epoch, CancellationToken cancellationToken)
        {
            Epochs.Add(epoch);
            return ValueTask.FromResult(true);
        }
    }
}
