using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HpSearch.Domain.Strategies;
using HpSearch.Workers.Data;
using HpSearch.Workers.Training;
using HpSearch.Workers.Training.Builtin;
using HpSearch.Workers.Training.TorchSharp;

namespace HpSearch.Benchmarks.Engine;

/// <summary><c>bench engine</c>: trains the reference models on a real data set with the built-in trainer (the
/// product's own code path) and prints one JSON line: throughput, accuracies, peak RSS, GEMM backend and the share of
/// this CPU's measured GEMM peak the training reached. With <c>--peer torchsharp</c> the same run with the TorchSharp
/// trainer (libtorch 2.10, the headline peer), <c>--peer torch</c> in Debian's PyTorch 1.13; with <c>--compare</c> all
/// three alternated, side by side, with the engine's ratios to each.</summary>
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
        if (!o.Compare)
        {
            var single = new List<JsonObject>();
            for (int i = 0; i < Math.Max(1, o.Runs); i++)
            {
                var oi = o with { Seed = o.Seed + i };
                single.Add(o.Peer switch
                {
                    "torch" => await TorchPeer.RunAsync(oi, catalog),
                    "torchsharp" => await RunTrainerAsync(oi, catalog, new TorchSharpTrainer(catalog, new TorchSharpTrainerOptions { Threads = o.Threads }), null),
                    _ => await RunEngineAsync(oi, catalog),
                });
            }
            Console.WriteLine(WithPeakShare(Summarise(single), o).ToJsonString());
            return 0;
        }
        // Runs alternate (engine, TorchSharp, PyTorch, engine, …) so all see the same background load; run i uses seed + i.
        // TorchSharp runs in a child process of this program, so each side's peak RSS is its own.
        var engines = new List<JsonObject>();
        var torchSharps = new List<JsonObject>();
        var torches = new List<JsonObject>();
        for (int i = 0; i < Math.Max(1, o.Runs); i++)
        {
            var oi = o with { Seed = o.Seed + i };
            engines.Add(await RunEngineAsync(oi, catalog));
            torchSharps.Add(await TorchSharpPeer.RunAsync(oi));
            if (!o.NoDebianTorch) torches.Add(await TorchPeer.RunAsync(oi, catalog));
        }
        var engine = WithPeakShare(Summarise(engines), o);
        var torchSharp = WithPeakShare(Summarise(torchSharps), o);
        var result = new JsonObject { ["engine"] = engine, ["torchsharp"] = torchSharp, ["vsTorchSharp"] = Ratios(engine, torchSharp) };
        if (torches.Count > 0)
        {
            var debian = WithPeakShare(Summarise(torches), o);
            result["debianTorch"] = debian;
            result["vsDebianTorch"] = Ratios(engine, debian);
        }
        Console.WriteLine(result.ToJsonString());
        return 0;
    }

    private static JsonObject Ratios(JsonObject engine, JsonObject peer) => new()
    {
        ["samplesPerSecRatio"] = Math.Round((double)engine["trainSamplesPerSec"]! / (double)peer["trainSamplesPerSec"]!, 2),
        ["peakRssRatio"] = Math.Round((double)engine["maxPeakRssMb"]! / (double)peer["maxPeakRssMb"]!, 2),
        ["testAccuracyDiffPp"] = Math.Round(100 * ((double)engine["meanTestAccuracy"]! - (double)peer["meanTestAccuracy"]!), 2),
    };

    /// <summary>Adds the training arithmetic rate (GEMM/conv FLOPs of forward and backward, 3 × 2 × MACs per sample) and its
    /// share of the GEMM peak measured by <c>bench gemm</c> on this CPU (<c>--gemm-peak</c>, GFLOPS), when given.</summary>
    private static JsonObject WithPeakShare(JsonObject r, EngineBenchOptions o)
    {
        double gflops = (double)r["trainSamplesPerSec"]! * TrainingFlopsPerSample(o.Model) / 1e9;
        r["trainGflops"] = Math.Round(gflops, 1);
        if (o.GemmPeakGflops is { } peak) r["gemmPeakShare"] = Math.Round(gflops / peak, 3);
        return r;
    }

    /// <summary>Multiply-adds of the reference models' Linear and Conv2d layers for one 28×28 example, ×2 FLOPs, ×3 for
    /// forward, input gradient and weight gradient.</summary>
    public static double TrainingFlopsPerSample(string model) => 6.0 * (model == "mlp"
        ? 784 * 256 + 256 * 256 + 256 * 10
        : 28 * 28 * 32 * 9 + 14 * 14 * 64 * 9 * 32 + 7 * 7 * 64 * 128 + 128 * 10);

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

    private static Task<JsonObject> RunEngineAsync(EngineBenchOptions o, DatasetCatalog catalog)
    {
        var trainer = new BuiltinTrainer(catalog, new BuiltinTrainerOptions { Threads = o.Threads, Gemm = o.Gemm });
        return RunTrainerAsync(o, catalog, trainer, trainer.GemmBackend);
    }

    /// <summary>One run of the reference model on <paramref name="trainer"/>, in this process.</summary>
    public static async Task<JsonObject> RunTrainerAsync(EngineBenchOptions o, DatasetCatalog catalog, ITrainer trainer, string? gemm)
    {
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
            ["impl"] = trainer.Name == "builtin" ? "hpsearch" : trainer.Name,
            ["model"] = o.Model, ["dataset"] = o.Dataset, ["batchSize"] = o.BatchSize, ["epochs"] = o.Epochs, ["threads"] = o.Threads,
            ["gemm"] = gemm ?? "libtorch",
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
