using HpSearch.Domain.Strategies;
using HpSearch.Workers.Data;
using HpSearch.Workers.Tests.Data;
using HpSearch.Workers.Training;
using HpSearch.Workers.Training.Builtin;

namespace HpSearch.Workers.Tests.Training.Builtin;

public class BuiltinTrainerTests
{
    private static readonly BuiltinTrainer Trainer = new(new DatasetCatalog(new DatasetOptions { CacheDirectory = DatasetCatalogTests.SharedCache }), new BuiltinTrainerOptions { Threads = 2 });

    private static TrainRequest Request(Dictionary<string, object> p, int epochs = 3, TrialOptions? options = null, string dataset = "synthetic-blobs", int seed = 1) =>
        new(Guid.NewGuid(), 1, dataset, p, epochs, seed, options ?? TrialOptions.Default);

    [Fact]
    public async Task TrainAsync_ReportsEveryEpoch_WithTheRequiredMetrics()
    {
        var obs = new RecordingObserver();
        var outcome = await Trainer.TrainAsync(Request(new() { ["hidden"] = new[] { 32L }.Cast<object>().ToList(), ["lr"] = 0.01 }), obs, default);
        Assert.Equal(TrainStatus.Completed, outcome.Status);
        Assert.Equal([1, 2, 3], obs.Epochs.Select(e => e.Epoch));
        foreach (var key in new[] { "trainLoss", "trainAccuracy", "valLoss", "valAccuracy", "lr", "seconds", "gradNorm" })
            Assert.True(obs.Epochs[^1].Metrics.ContainsKey(key), key);
        Assert.NotNull(outcome.Checkpoint);
        Assert.NotEmpty(obs.Epochs[^1].Layers!);
        Assert.True(obs.Epochs[^1].Metrics["valAccuracy"] > 0.5);
    }

    [Fact]
    public async Task TrainAsync_ReportsInitialLossNearLnC_WhenAsked()
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
        var p = new Dictionary<string, object> { ["hidden"] = new[] { 64L, 64L }.Cast<object>().ToList(), ["lr"] = 0.01, ["batchSize"] = 20L };
        await Trainer.TrainAsync(Request(p, 60, new TrialOptions(SubsetPerClass: 10, RegularizationOff: true)), obs, default);
        Assert.Equal(1.0, obs.Epochs[^1].Metrics["trainAccuracy"]);
    }

    [Fact]
    public async Task TrainAsync_KeepsTheLearningRateConstant_WhenTheRecipeAsksForNoDecay()
    {
        var p = new Dictionary<string, object> { ["lr"] = 0.05, ["schedule"] = "step", ["stepEpochs"] = 1L, ["gamma"] = 0.1 };
        var decayed = new RecordingObserver();
        await Trainer.TrainAsync(Request(p, 3), decayed, default);
        Assert.True(decayed.Epochs[^1].Metrics["lr"] < 0.05 * 0.5, "the step schedule decays without the option");

        var constant = new RecordingObserver();
        await Trainer.TrainAsync(Request(p, 3, new TrialOptions(ConstantLearningRate: true)), constant, default);
        Assert.All(constant.Epochs, e => Assert.Equal(0.05, e.Metrics["lr"], 6));
    }

    [Fact]
    public async Task TrainAsync_StopsAfterMaxIterations_AndReportsThatEpoch()
    {
        var obs = new RecordingObserver();
        await Trainer.TrainAsync(Request(new() { ["batchSize"] = 10L }, 5, new TrialOptions(MaxIterations: 7)), obs, default);
        Assert.Single(obs.Epochs);
        Assert.Equal(7, obs.Epochs[0].Metrics["iterations"]);
    }

    [Fact]
    public async Task TrainAsync_ReturnsStopped_WhenObserverSaysStop()
    {
        var obs = new RecordingObserver { StopAfter = 2 };
        var outcome = await Trainer.TrainAsync(Request([], 5), obs, default);
        Assert.Equal(TrainStatus.Stopped, outcome.Status);
        Assert.Equal(2, obs.Epochs.Count);
    }

    [Fact]
    public async Task TrainAsync_ReturnsDiverged_WhenTheLossBlowsUp()
    {
        var obs = new RecordingObserver();
        var outcome = await Trainer.TrainAsync(Request(new() { ["optimizer"] = "sgd", ["lr"] = 1e6, ["init"] = "normal", ["initStd"] = 10.0 }, 5), obs, default);
        Assert.Equal(TrainStatus.Diverged, outcome.Status);
        Assert.NotEmpty(obs.Epochs);
    }

    [Fact]
    public async Task TrainAsync_GivesTheSameMetrics_ForTheSameSeed()
    {
        var p = new Dictionary<string, object> { ["dropout"] = 0.2, ["batchNorm"] = true, ["optimizer"] = "momentum", ["lr"] = 0.05 };
        var a = new RecordingObserver(); var b = new RecordingObserver();
        await Trainer.TrainAsync(Request(p, 2, seed: 9), a, default);
        await Trainer.TrainAsync(Request(p, 2, seed: 9), b, default);
        Assert.Equal(a.Epochs.Select(e => e.Metrics["valLoss"]), b.Epochs.Select(e => e.Metrics["valLoss"]));
        Assert.Equal(a.Epochs.Select(e => e.Metrics["trainLoss"]), b.Epochs.Select(e => e.Metrics["trainLoss"]));
    }

    [Theory]
    [InlineData("optimizer", "foo")]
    [InlineData("activation", "swish")]
    [InlineData("lr", -1.0)]
    [InlineData("dropout", 1.5)]
    [InlineData("noSuchParameter", 1.0)]
    public async Task TrainAsync_ThrowsArgumentException_ForInvalidParameter(string name, object value)
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Trainer.TrainAsync(Request(new() { [name] = value }), new RecordingObserver(), default));
        Assert.Contains(name, ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task EvaluateTestAsync_ScoresTheCheckpoint_OnTheTestSplit()
    {
        var request = Request(new() { ["lr"] = 0.01 }, 4);
        var outcome = await Trainer.TrainAsync(request, new RecordingObserver(), default);
        var test = await Trainer.EvaluateTestAsync(request, outcome.Checkpoint!, default);
        Assert.NotNull(test);
        Assert.True(test.TestAccuracy > 0.5, $"test accuracy {test.TestAccuracy}");
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("nesterov")]
    [InlineData("adagrad")]
    [InlineData("rmsprop")]
    [InlineData("adamw")]
    public async Task TrainAsync_Learns_WithEachOptimizer(string optimizer)
    {
        var obs = new RecordingObserver();
        var lr = optimizer is "sgd" or "nesterov" or "adagrad" ? 0.05 : 0.003;
        await Trainer.TrainAsync(Request(new() { ["optimizer"] = optimizer, ["lr"] = lr, ["weightDecay"] = 1e-4, ["weightDecayMode"] = "loss" }, 3), obs, default);
        Assert.True(obs.Epochs[^1].Metrics["valAccuracy"] > 0.5, $"{optimizer}: {obs.Epochs[^1].Metrics["valAccuracy"]}");
    }

    [Fact]
    public async Task TrainAsync_TrainsResidualCnn_WithBatchNormAndAugmentation()
    {
        var obs = new RecordingObserver();
        var p = new Dictionary<string, object>
        {
            ["model"] = "cnn", ["convChannels"] = new List<object> { 4L, 8L }, ["hidden"] = new List<object> { 16L }, ["batchNorm"] = true,
            ["residual"] = true, ["augFlip"] = true, ["augShift"] = 1L, ["augErase"] = 0.2, ["augRotate"] = 5.0,
            ["schedule"] = "cosine", ["clipNorm"] = 5.0, ["maxNorm"] = 3.0, ["batchSize"] = 16L, ["lr"] = 0.01,
        };
        var outcome = await Trainer.TrainAsync(Request(p, 4, dataset: "synthetic-images"), obs, default);
        Assert.Equal(TrainStatus.Completed, outcome.Status);
        Assert.True(obs.Epochs[^1].Metrics["valAccuracy"] > 0.5, $"{obs.Epochs[^1].Metrics["valAccuracy"]}");
    }
}

public class BuiltinTrainerDiagnosticsTests
{
    private static readonly BuiltinTrainer Trainer = new(new DatasetCatalog(new DatasetOptions { CacheDirectory = DatasetCatalogTests.SharedCache }), new BuiltinTrainerOptions());

    private static async Task<IReadOnlyList<LayerStats>> StatsAfterInitAsync(string activation, string init)
    {
        var obs = new RecordingObserver();
        var p = new Dictionary<string, object>
        {
            ["hidden"] = Enumerable.Repeat((object)128L, 8).ToList(), ["activation"] = activation, ["init"] = init, ["initStd"] = 0.01,
            ["optimizer"] = "sgd", ["lr"] = 1e-9,
        };
        await Trainer.TrainAsync(new TrainRequest(Guid.NewGuid(), 1, "synthetic-blobs", p, 1, 3, new TrialOptions(MaxIterations: 1)), obs, default);
        return obs.Epochs[0].Layers!;
    }

    // The classic experiment (Glorot & Bengio 2010; CS231n): with N(0, 0.01²) weights a deep tanh net's activations
    // shrink towards 0 layer after layer; Xavier keeps them alive; He keeps a deep ReLU net's spread.
    [Fact]
    public async Task LayerStats_ShowVanishingActivations_ForSmallNormalInitButNotForXavier()
    {
        var small = await StatsAfterInitAsync("tanh", "normal");
        var xavier = await StatsAfterInitAsync("tanh", "xavier");
        Assert.Equal(8, small.Count);
        Assert.True(small[^1].Std < 1e-4, $"std 0.01: last layer std {small[^1].Std}");
        Assert.True(small[^1].Std < small[0].Std / 100);
        Assert.True(xavier[^1].Std > 0.05, $"xavier: last layer std {xavier[^1].Std}");
    }

    [Fact]
    public async Task LayerStats_KeepReluActivationsAlive_WithHeInit()
    {
        var he = await StatsAfterInitAsync("relu", "he");
        var small = await StatsAfterInitAsync("relu", "normal");
        Assert.True(he[^1].Std > 0.1, $"he: last layer std {he[^1].Std}");
        Assert.True(small[^1].Std < 1e-6, $"std 0.01: last layer std {small[^1].Std}");
        Assert.InRange(he[^1].DeadFraction, 0, 0.5);
    }

    [Fact]
    public async Task LayerStats_ShowSaturation_ForSigmoidWithLargeInit()
    {
        var obs = new RecordingObserver();
        var p = new Dictionary<string, object> { ["hidden"] = new List<object> { 64L }, ["activation"] = "sigmoid", ["init"] = "normal", ["initStd"] = 3.0, ["lr"] = 1e-9 };
        await Trainer.TrainAsync(new TrainRequest(Guid.NewGuid(), 1, "synthetic-blobs", p, 1, 3, new TrialOptions(MaxIterations: 1)), obs, default);
        Assert.True(obs.Epochs[0].Layers![0].SaturatedFraction > 0.5, $"{obs.Epochs[0].Layers![0].SaturatedFraction}");
    }
}

public class BuiltinTrainerMnistTests
{
    private static readonly DatasetCatalog Catalog = new(new DatasetOptions { CacheDirectory = DatasetCatalogTests.SharedCache });

    [Fact]
    public async Task TrainAsync_OverfitsOneHundredMnistDigits_ToFullTrainAccuracy()
    {
        var obs = new RecordingObserver();
        var trainer = new BuiltinTrainer(Catalog, new BuiltinTrainerOptions { Threads = 2 });
        var p = new Dictionary<string, object> { ["hidden"] = new List<object> { 256L, 256L }, ["lr"] = 1e-3, ["batchSize"] = 100L };
        await trainer.TrainAsync(new TrainRequest(Guid.NewGuid(), 1, "mnist", p, 40, 5, new TrialOptions(SubsetPerClass: 10, RegularizationOff: true)), obs, default);
        Assert.Equal(1.0, obs.Epochs[^1].Metrics["trainAccuracy"]);
        Assert.True(obs.Epochs[^1].Metrics["trainLoss"] < 0.05, $"{obs.Epochs[^1].Metrics["trainLoss"]}");
    }

    [Fact]
    public async Task TrainAsync_GivesIdenticalMetrics_ForSameSeedAndTwoThreads_OnMnist()
    {
        async Task<double[]> RunAsync()
        {
            var obs = new RecordingObserver();
            var trainer = new BuiltinTrainer(Catalog, new BuiltinTrainerOptions { Threads = 2 });
            var p = new Dictionary<string, object> { ["dropout"] = 0.3, ["batchSize"] = 128L, ["augShift"] = 2L };
            await trainer.TrainAsync(new TrainRequest(Guid.NewGuid(), 1, "mnist", p, 1, 11, new TrialOptions(MaxIterations: 20)), obs, default);
            return [obs.Epochs[0].Metrics["trainLoss"], obs.Epochs[0].Metrics["valLoss"], obs.Epochs[0].Metrics["gradNorm"]];
        }
        Assert.Equal(await RunAsync(), await RunAsync());
    }
}
