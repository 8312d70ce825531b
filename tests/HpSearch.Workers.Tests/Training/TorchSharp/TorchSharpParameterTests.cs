using HpSearch.Domain.Strategies;
using HpSearch.Workers.Training.Builtin;
using HpSearch.Workers.Training.TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HpSearch.Workers.Tests.Training.TorchSharp;

/// <summary>Each spec parameter changes what TorchSharp builds and trains.</summary>
public class TorchSharpParameterTests
{
    private static async Task<TorchSharpRun> StartAsync(Dictionary<string, object> p, string dataset = "synthetic-blobs", TrialOptions? options = null)
    {
        var request = TorchSharpTrainerTests.Request(p, 1, options, dataset);
        var data = await TorchSharpTrainerTests.Datasets.LoadAsync(dataset, default);
        return TorchSharpTrainerTests.Trainer.Start(BuiltinConfig.Parse(p, request.Options, "torchsharp"), null, data, request, "cpu");
    }

    [Fact]
    public async Task Dropout_ChangesTheTrainingLossOnAFixedBatch()
    {
        int[] batch = [.. Enumerable.Range(0, 64)];
        using var without = await StartAsync(new() { ["dropout"] = 0.0 });
        using var with = await StartAsync(new() { ["dropout"] = 0.5 });
        Assert.Equal(without.TrainingLossOn(batch), without.TrainingLossOn(batch));
        Assert.NotEqual(without.TrainingLossOn(batch), with.TrainingLossOn(batch));
        Assert.Contains(with.Network.Module.modules(), m => m is SeededDropout { P: 0.5 });
        Assert.DoesNotContain(without.Network.Module.modules(), m => m is SeededDropout);
    }

    [Fact]
    public async Task RegularizationOff_RemovesDropoutAndWeightDecay()
    {
        using var run = await StartAsync(new() { ["dropout"] = 0.5, ["weightDecay"] = 0.1 }, options: new TrialOptions(RegularizationOff: true));
        Assert.DoesNotContain(run.Network.Module.modules(), m => m is SeededDropout);
        Assert.All(run.Optimizer.ParamGroups, g => Assert.Equal(0.0, WeightDecayOf(g)));
    }

    [Theory]
    [InlineData("sgd", typeof(SGD))]
    [InlineData("momentum", typeof(SGD))]
    [InlineData("nesterov", typeof(SGD))]
    [InlineData("adagrad", typeof(Adagrad))]
    [InlineData("rmsprop", typeof(RMSProp))]
    [InlineData("adam", typeof(Adam))]
    [InlineData("adamw", typeof(AdamW))]
    public async Task Optimizer_IsTheOneAsked_WithDecayOnWeightsOnly(string name, Type expected)
    {
        using var run = await StartAsync(new() { ["optimizer"] = name, ["weightDecay"] = 1e-3, ["momentum"] = 0.8, ["batchNorm"] = true });
        Assert.IsType(expected, run.Optimizer);
        var groups = run.Optimizer.ParamGroups.ToArray();
        Assert.Equal(1e-3, WeightDecayOf(groups[0]), 6);
        Assert.Equal(0.0, WeightDecayOf(groups[1]));
        if (run.Optimizer is SGD)
        {
            var options = groups.Select(g => ((SGD.ParamGroup)g).Options).ToArray();
            Assert.All(options, o => Assert.Equal(name == "sgd" ? 0.0 : 0.8, o.momentum!.Value, 6));
            Assert.All(options, o => Assert.Equal(name == "nesterov", o.nesterov!.Value));
        }
    }

    [Fact]
    public async Task WeightDecayInTheLoss_LeavesTheOptimizerWithoutDecay()
    {
        using var run = await StartAsync(new() { ["optimizer"] = "sgd", ["weightDecay"] = 1e-3, ["weightDecayMode"] = "loss" });
        Assert.All(run.Optimizer.ParamGroups, g => Assert.Equal(0.0, WeightDecayOf(g)));
    }

    [Theory]
    [InlineData("zeros")]
    [InlineData("normal")]
    [InlineData("xavier")]
    [InlineData("he")]
    [InlineData("orthogonal")]
    public async Task Init_IsTheOneAsked(string init)
    {
        using var run = await StartAsync(new() { ["init"] = init, ["initStd"] = 0.05, ["hidden"] = new List<object> { 64L }, ["activation"] = "tanh" });
        var first = run.Network.Module.modules().OfType<Linear>().First();
        using var w = first.weight!.detach();
        double fanIn = w.shape[1], fanOut = w.shape[0];
        double std = w.std().item<float>(), max = w.abs().max().item<float>();
        switch (init)
        {
            case "zeros": Assert.Equal(0, max); break;
            case "normal": Assert.Equal(0.05, std, 0.005); break;
            case "xavier":
                double limit = Math.Sqrt(6 / (fanIn + fanOut));
                Assert.True(max <= limit && max > 0.95 * limit);
                Assert.Equal(limit / Math.Sqrt(3), std, 0.1 * limit);
                break;
            case "he": Assert.Equal(Math.Sqrt(2 / fanIn), std, 0.1 * Math.Sqrt(2 / fanIn)); break;
            case "orthogonal":
                // Orthonormal vectors on the smaller side: rows of a wide matrix, columns of a tall one.
                using (var gram = fanOut <= fanIn ? w.matmul(w.t()) : w.t().matmul(w))
                    Assert.True(gram.allclose(eye(Math.Min(w.shape[0], w.shape[1])), rtol: 0, atol: 1e-4));
                break;
        }
        Assert.All(run.Network.Module.modules().OfType<Linear>(), l => Assert.Equal(0, l.bias!.abs().max().item<float>()));
    }

    [Fact]
    public async Task ArchitectureParameters_ChangeTheModulesBuilt()
    {
        using var mlp = await StartAsync(new() { ["hidden"] = new List<object> { 16L, 16L } });
        using var residual = await StartAsync(new() { ["hidden"] = new List<object> { 16L, 16L }, ["residual"] = true, ["batchNorm"] = true, ["activation"] = "elu" });
        using var cnn = await StartAsync(new() { ["model"] = "cnn", ["convChannels"] = new List<object> { 4L, 8L } }, "synthetic-images");
        Assert.DoesNotContain(mlp.Network.Module.modules(), m => m is ResidualBlock or BatchNorm1d);
        Assert.Contains(residual.Network.Module.modules(), m => m is ResidualBlock);
        Assert.Contains(residual.Network.Module.modules(), m => m is BatchNorm1d);
        Assert.Contains(residual.Network.Module.modules(), m => m is ELU);
        Assert.Equal([4L, 8L], cnn.Network.Module.modules().OfType<Conv2d>().Select(c => c.weight!.shape[0]));
        Assert.Equal(2, cnn.Network.Module.modules().OfType<MaxPool2d>().Count());
    }

    [Fact]
    public async Task MaxNorm_KeepsEveryUnitsIncomingWeightsWithinTheBound()
    {
        var obs = new RecordingObserver();
        var p = new Dictionary<string, object> { ["maxNorm"] = 0.5, ["lr"] = 0.05, ["hidden"] = new List<object> { 32L } };
        var request = TorchSharpTrainerTests.Request(p, 2);
        var outcome = await TorchSharpTrainerTests.Trainer.TrainAsync(request, obs, default);
        using var run = await StartAsync(p);
        run.Network.LoadCheckpoint(outcome.Checkpoint!);
        foreach (var l in run.Network.Module.modules().OfType<Linear>())
            Assert.True(l.weight!.detach().norm(1).max().item<float>() <= 0.5 + 1e-4);
    }

    private static double WeightDecayOf(object group) => group switch
    {
        SGD.ParamGroup g => g.Options.weight_decay!.Value,
        Adagrad.ParamGroup g => g.Options.weight_decay!.Value,
        RMSProp.ParamGroup g => g.Options.weight_decay!.Value,
        AdamW.ParamGroup g => g.Options.weight_decay!.Value,
        Adam.ParamGroup g => g.Options.weight_decay!.Value,
        _ => throw new InvalidOperationException(group.GetType().Name),
    };
}
