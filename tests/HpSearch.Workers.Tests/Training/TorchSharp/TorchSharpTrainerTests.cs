using HpSearch.Domain.Strategies;
using HpSearch.Workers.Data;
using HpSearch.Workers.Tests.Data;
using HpSearch.Workers.Training;
using HpSearch.Workers.Training.Builtin;
using HpSearch.Workers.Training.TorchSharp;

namespace HpSearch.Workers.Tests.Training.TorchSharp;

public class TorchSharpTrainerTests
{
    internal static readonly DatasetCatalog Datasets = new(new DatasetOptions { CacheDirectory = DatasetCatalogTests.SharedCache });
    internal static readonly TorchSharpTrainer Trainer = new(Datasets, new TorchSharpTrainerOptions { Threads = 2 });

    internal static TrainRequest Request(Dictionary<string, object> p, int epochs = 3, TrialOptions? options = null, string dataset = "synthetic-blobs", int seed = 1, string pool = "cpu") =>
        new(Guid.NewGuid(), 1, dataset, p, epochs, seed, options ?? TrialOptions.Default, pool);

    [Fact]
    public async Task TrainAsync_ReportsEveryEpoch_WithTheRequiredMetrics_LayerStatistics_AndItsDevice()
    {
        var obs = new RecordingObserver();
        var outcome = await Trainer.TrainAsync(Request(new() { ["hidden"] = new List<object> { 32L }, ["lr"] = 0.01 }), obs, default);
        Assert.Equal(TrainStatus.Completed, outcome.Status);
        Assert.Equal([1, 2, 3], obs.Epochs.Select(e => e.Epoch));
        foreach (var key in new[] { "trainLoss", "trainAccuracy", "valLoss", "valAccuracy", "lr", "seconds", "gradNorm" })
            Assert.True(obs.Epochs[^1].Metrics.ContainsKey(key), key);
        Assert.NotNull(outcome.Checkpoint);
        Assert.Equal("fc1.relu", Assert.Single(obs.Epochs[^1].Layers!).Layer);
        Assert.True(obs.Epochs[^1].Metrics["valAccuracy"] > 0.5);
        Assert.Equal(("torchsharp", "cpu"), obs.Run);
    }

    [Fact]
    public async Task TrainAsync_RepeatsItsCurve_WithTheSameSeed_AndNotWithAnother()
    {
        var p = new Dictionary<string, object> { ["hidden"] = new List<object> { 32L, 32L }, ["dropout"] = 0.3, ["lr"] = 0.01, ["augFlip"] = false };
        async Task<double[]> Curve(int seed)
        {
            var obs = new RecordingObserver();
            await Trainer.TrainAsync(Request(p, 2, seed: seed), obs, default);
            return obs.Epochs.SelectMany(e => new[] { e.Metrics["trainLoss"], e.Metrics["valLoss"] }).ToArray();
        }
        var first = await Curve(5);
        Assert.Equal(first, await Curve(5));
        Assert.NotEqual(first, await Curve(6));
    }

    [Fact]
    public async Task TrainAsync_ReportsInitialLossNearLnC_WithRegularizationOff()
    {
        var obs = new RecordingObserver();
        var p = new Dictionary<string, object> { ["init"] = "normal", ["initStd"] = 0.001, ["dropout"] = 0.5, ["weightDecay"] = 0.1 };
        await Trainer.TrainAsync(Request(p, 1, new TrialOptions(MeasureInitialLoss: true, RegularizationOff: true)), obs, default);
        Assert.Equal(Math.Log(10), obs.Summary["initialLoss"], 2);
    }

    [Fact]
    public async Task TrainAsync_OverfitsASmallSubset_ToFullTrainAccuracy()
    {
        var obs = new RecordingObserver();
        var p = new Dictionary<string, object> { ["hidden"] = new List<object> { 64L, 64L }, ["lr"] = 0.01, ["batchSize"] = 20L };
        await Trainer.TrainAsync(Request(p, 60, new TrialOptions(SubsetPerClass: 10, RegularizationOff: true)), obs, default);
        Assert.Equal(1.0, obs.Epochs[^1].Metrics["trainAccuracy"]);
    }

    [Fact]
    public async Task TrainAsync_StopsAfterMaxIterations_AndKeepsTheLearningRateConstant_WhenTheRecipeAsks()
    {
        var obs = new RecordingObserver();
        var p = new Dictionary<string, object> { ["batchSize"] = 10L, ["lr"] = 0.05, ["schedule"] = "cosine" };
        await Trainer.TrainAsync(Request(p, 5, new TrialOptions(MaxIterations: 7, ConstantLearningRate: true)), obs, default);
        Assert.Equal(7, Assert.Single(obs.Epochs).Metrics["iterations"]);
        Assert.Equal(0.05, obs.Epochs[0].Metrics["lr"], 6);
    }

    [Fact]
    public async Task TrainAsync_ReturnsStopped_WhenTheObserverSaysStop_AndDiverged_WhenTheLossBlowsUp()
    {
        var stopped = await Trainer.TrainAsync(Request([], 5), new RecordingObserver { StopAfter = 2 }, default);
        Assert.Equal(TrainStatus.Stopped, stopped.Status);
        var diverged = await Trainer.TrainAsync(Request(new() { ["lr"] = 1e6, ["optimizer"] = "sgd", ["init"] = "normal", ["initStd"] = 10.0 }, 3), new RecordingObserver(), default);
        Assert.Equal(TrainStatus.Diverged, diverged.Status);
    }

    [Fact]
    public async Task Checkpoint_ReloadsToTheSameValidationAccuracy_AsItsBestEpoch()
    {
        var obs = new RecordingObserver();
        var request = Request(new() { ["hidden"] = new List<object> { 32L }, ["batchNorm"] = true, ["lr"] = 0.01 }, 3);
        var outcome = await Trainer.TrainAsync(request, obs, default);
        var best = obs.Epochs.Single(e => e.Epoch == outcome.CheckpointEpoch).Metrics["valAccuracy"];
        var data = await Datasets.LoadAsync("synthetic-blobs", default);
        using var run = Trainer.Start(BuiltinConfig.Parse(request.Params, request.Options, "torchsharp"), null, data, request, "cpu");
        run.Network.LoadCheckpoint(outcome.Checkpoint!);
        Assert.Equal(best, run.Evaluate(data.ValX, data.ValY, null, default).Accuracy);
        var test = await Trainer.EvaluateTestAsync(request, outcome.Checkpoint!, default);
        Assert.InRange(test!.TestAccuracy, 0.5, 1.0);
    }

    [Fact]
    public async Task TrainAsync_TrainsACnnWithResidualBlocks_OnImages()
    {
        var obs = new RecordingObserver();
        var p = new Dictionary<string, object>
        {
            ["model"] = "cnn", ["convChannels"] = new List<object> { 4L }, ["hidden"] = new List<object> { 16L }, ["residual"] = true,
            ["batchNorm"] = true, ["augFlip"] = true, ["augShift"] = 1L, ["augErase"] = 0.2, ["augRotate"] = 5.0, ["maxNorm"] = 3.0, ["clipNorm"] = 1.0,
        };
        var outcome = await Trainer.TrainAsync(Request(p, 2, dataset: "synthetic-images"), obs, default);
        Assert.Equal(TrainStatus.Completed, outcome.Status);
        Assert.Equal(["conv1.relu", "conv1.res.relu", "conv1.res.out.relu", "fc1.relu"], obs.Epochs[^1].Layers!.Select(l => l.Layer));
    }
}
