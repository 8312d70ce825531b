using HpSearch.Domain.Experiments;
using HpSearch.Domain.Validation;

namespace HpSearch.Domain.Tests.Experiments;

public class ExperimentSpecParseTests
{
    private static SpecErrors Errors(string json)
    {
        var errors = new SpecErrors();
        ExperimentSpec.TryParse(TestSpecs.Json(json), FakeCatalog.Instance, errors);
        return errors;
    }

    [Fact]
    public void Parse_AppliesDefaults_WhenOnlyTheRequiredFieldsAreGiven()
    {
        var spec = TestSpecs.Parse(TestSpecs.MinimalJson);
        Assert.Equal("builtin", spec.Trainer);
        Assert.Equal(new Objective("valAccuracy", true), spec.Objective);
        Assert.Equal(StrategyKind.Random, spec.Strategy.Kind);
        Assert.Equal(new Budget(20, 1, 5, 10), spec.Budget);
        Assert.Equal(EarlyStoppingSpec.None, spec.EarlyStopping);
        Assert.Equal("cpu", spec.Pool);
    }

    [Fact]
    public void Parse_ReadsTheDesignExample()
    {
        var spec = TestSpecs.Parse("""
            {
              "name": "fashion-lr-wd", "trainer": "builtin", "dataset": "fashion-mnist",
              "params": { "model": "mlp", "hidden": [256, 256], "epochs": 20 },
              "searchSpace": {
                "lr": { "type": "logUniform", "low": 1e-6, "high": 1e-2 },
                "optimizer": { "type": "categorical", "values": ["sgd", "momentum", "adam"] }
              },
              "objective": { "metric": "valLoss" },
              "strategy": { "kind": "grid", "seed": 42, "gridPoints": 4 },
              "budget": { "maxTrials": 30, "parallelism": 2, "maxFailedTrials": 5, "timeLimitSeconds": 600 },
              "earlyStopping": { "kind": "asha", "minEpochs": 1, "reductionFactor": 3, "patience": 3 }
            }
            """);
        Assert.False(spec.Objective.Maximize); // a loss defaults to minimize
        Assert.Equal(20, spec.Budget.MaxEpochs);
        Assert.Equal(600, spec.Budget.TimeLimitSeconds);
        Assert.Equal(new StrategySpec(StrategyKind.Grid, 42, 4), spec.Strategy);
        Assert.Equal(new EarlyStoppingSpec(StoppingKind.Asha, 3, 0, 1, 3, 3, 1), spec.EarlyStopping);
    }

    [Theory]
    [InlineData("""{ "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}} }""", "name")]
    [InlineData("""{ "name": "t", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}} }""", "dataset")]
    [InlineData("""{ "name": "t", "dataset": "cifar", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}} }""", "dataset")]
    [InlineData("""{ "name": "t", "trainer": "torch", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}} }""", "trainer")]
    [InlineData("""{ "name": "t", "dataset": "mnist" }""", "searchSpace")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {} }""", "searchSpace")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"momentum": 0.9} }""", "searchSpace.momentum")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "params": {"colour": 1}, "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}} }""", "params.colour")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "owner": "me" }""", "owner")]
    [InlineData("""{ "name": 3, "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}} }""", "name")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "budget": {"maxTrials": -1} }""", "budget.maxTrials")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "budget": {"maxTrials": "10"} }""", "budget.maxTrials")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "budget": {"maxFailedTrials": -1} }""", "budget.maxFailedTrials")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "budget": {"timeLimitSeconds": 0} }""", "budget.timeLimitSeconds")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "budget": {"parallelism": 1.5} }""", "budget.parallelism")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "budget": {"epochs": 3} }""", "budget.epochs")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "objective": {"metric": "testAccuracy"} }""", "objective.metric")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "objective": {"direction": "up"} }""", "objective.direction")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "strategy": {"kind": "bayes"} }""", "strategy.kind")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"dropout": {"type": "uniform", "low": 0, "high": 0.1}}, "strategy": {"kind": "six-step"} }""", "searchSpace.lr")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "strategy": {"kind": "six-step", "sixStep": {"lrFinderLow": 1, "lrFinderHigh": 0.1}} }""", "strategy.sixStep.lrFinderLow")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "strategy": {"kind": "six-step", "sixStep": {"lrFinderWeightDecay": -1}} }""", "strategy.sixStep.lrFinderWeightDecay")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "earlyStopping": {"kind": "hyperband"} }""", "earlyStopping.kind")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"batchSize": {"type": "int", "low": 1, "high": 100000}}, "strategy": {"kind": "grid"} }""", "searchSpace.batchSize.points")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "earlyStopping": {"kind": "asha", "reductionFactor": 1} }""", "earlyStopping.reductionFactor")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "earlyStopping": {"kind": "patience", "patience": 0} }""", "earlyStopping.patience")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "params": {"epochs": 0} }""", "params.epochs")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "pool": "gpu pool" }""", "pool")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "strategy": {"kind": "tpe", "tpe": {"startupTrials": -1}} }""", "strategy.tpe.startupTrials")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "strategy": {"kind": "tpe", "tpe": {"candidates": 0}} }""", "strategy.tpe.candidates")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "strategy": {"kind": "tpe", "tpe": {"gamma": 0}} }""", "strategy.tpe.gamma")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "strategy": {"kind": "tpe", "tpe": {"multivariate": "yes"}} }""", "strategy.tpe.multivariate")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "strategy": {"kind": "tpe", "tpe": {"constantLiar": 1}} }""", "strategy.tpe.constantLiar")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "strategy": {"kind": "tpe", "tpe": {"nEi": 3}} }""", "strategy.tpe.nEi")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "strategy": {"kind": "tpe", "tpe": []} }""", "strategy.tpe")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "strategy": {"kind": "random", "tpe": {}} }""", "strategy.tpe")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "strategy": {"kind": "hyperband", "hyperband": {"minEpochs": 0}} }""", "strategy.hyperband.minEpochs")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "strategy": {"kind": "bohb", "hyperband": {"reductionFactor": 1}} }""", "strategy.hyperband.reductionFactor")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "strategy": {"kind": "hyperband", "hyperband": {"minEpochs": 20}}, "budget": {"maxEpochs": 10} }""", "strategy.hyperband.minEpochs")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "strategy": {"kind": "hyperband", "hyperband": {"eta": 3}} }""", "strategy.hyperband.eta")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "strategy": {"kind": "tpe", "hyperband": {}} }""", "strategy.hyperband")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "strategy": {"kind": "bohb"}, "earlyStopping": {"kind": "asha"} }""", "earlyStopping.kind")]
    [InlineData("""{ "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}}, "strategy": {"kind": "hyperband"}, "earlyStopping": {"kind": "median"} }""", "earlyStopping.kind")]
    public void Parse_NamesTheBadField(string json, string field)
    {
        var errors = Errors(json);
        Assert.True(errors.Has(field), $"expected an error on {field}; got {errors}");
    }

    [Fact]
    public void Parse_NamesEveryBadField_InOneException()
    {
        var ex = Assert.Throws<SpecException>(() => TestSpecs.Parse("""
            { "name": "", "dataset": "cifar", "searchSpace": { "lr": { "type": "uniform", "low": 2, "high": 1 } }, "budget": { "maxTrials": 0 } }
            """));
        foreach (var field in new[] { "name", "dataset", "searchSpace.lr.low", "budget.maxTrials" })
            Assert.True(ex.Errors.Has(field), field);
    }

    [Fact]
    public void Parse_AcceptsAnyParameterName_ForACommandTrainer()
    {
        var spec = TestSpecs.Parse("""{ "name": "t", "trainer": "script", "dataset": "mnist", "searchSpace": {"momentum": {"type": "fixed", "value": 0.9}} }""");
        Assert.Equal("script", spec.Trainer);
    }

    [Fact]
    public void Parse_RejectsABodyThatIsNotAnObject()
    {
        Assert.True(Errors("[]").Has("$"));
    }

    [Fact]
    public void Parse_ReadsTpeOptions_AndTheFactoryBuildsATpeSampler()
    {
        var spec = TestSpecs.Parse("""
            { "name": "t", "dataset": "mnist", "searchSpace": {"lr": {"type": "logUniform", "low": 1e-5, "high": 1e-1}},
              "strategy": {"kind": "tpe", "seed": 9, "tpe": {"startupTrials": 4, "candidates": 48, "multivariate": true, "constantLiar": false, "gamma": 0.2}} }
            """);
        Assert.Equal(StrategyKind.Tpe, spec.Strategy.Kind);
        Assert.Equal(new HpSearch.Domain.Sampling.TpeOptions(4, 48, true, false, 0.2), spec.Strategy.Tpe);
        var strategy = Assert.IsType<HpSearch.Domain.Strategies.SamplingStrategy>(HpSearch.Domain.Strategies.Strategies.Create(spec));
        Assert.Equal(spec.Strategy.Tpe, Assert.IsType<HpSearch.Domain.Sampling.TpeSampler>(strategy.Sampler).Options);
    }
}
