using HpSearch.Domain.Experiments;
using HpSearch.Domain.Search;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Tests.Strategies;

public class EnqueueTests
{
    private static ExperimentSpec Spec(string kind, string enqueue = """[{ "lr": 0.01, "dropout": 0.2 }, { "lr": 0.001 }]""", int maxTrials = 6) =>
        TestSpecs.Spec(maxTrials: maxTrials, strategy: $$"""{ "kind": "{{kind}}", "seed": 3, "enqueue": {{enqueue}} }""");

    [Theory]
    [InlineData("random")]
    [InlineData("tpe")]
    [InlineData("hyperband")]
    [InlineData("bohb")]
    public void Next_TriesTheEnqueuedConfigurationsFirst_AndSamplesWhatTheyLeaveOut(string kind)
    {
        var spec = Spec(kind);
        var requests = HpSearch.Domain.Strategies.Strategies.Create(spec).Next(spec, [], 3).NewTrials;
        Assert.Equal(3, requests.Count);
        Assert.Equal((0.01, 0.2), (ParameterValue.AsDouble(requests[0].Params["lr"]), ParameterValue.AsDouble(requests[0].Params["dropout"])));
        Assert.Equal(0.001, ParameterValue.AsDouble(requests[1].Params["lr"]));
        Assert.True(spec.SearchSpace["dropout"]!.Contains(requests[1].Params["dropout"]));
        Assert.NotEqual(0.001, ParameterValue.AsDouble(requests[2].Params["lr"])); // then the sampler's own
    }

    [Fact]
    public void Next_SkipsAConfigurationAnEarlierTrialAlreadyRan_WhateverItsNumber()
    {
        // E.g. a schedule's warm-start trial that happens to be the first enqueued configuration.
        var spec = Spec("random");
        var warm = TestSpecs.Trial(0, TrialStatus.Completed, [0.5], parameters: new() { ["lr"] = 0.01, ["dropout"] = 0.2 });
        var requests = HpSearch.Domain.Strategies.Strategies.Create(spec).Next(spec, [warm], 1).NewTrials;
        Assert.Equal(0.001, ParameterValue.AsDouble(Assert.Single(requests).Params["lr"]));
    }

    [Theory]
    [InlineData("""{ "kind": "random", "enqueue": {"lr": 0.01} }""", "strategy.enqueue")]
    [InlineData("""{ "kind": "random", "enqueue": [] }""", "strategy.enqueue")]
    [InlineData("""{ "kind": "random", "enqueue": [3] }""", "strategy.enqueue[0]")]
    [InlineData("""{ "kind": "random", "enqueue": [{"lr": 0.01}, {"momentum": 0.9}] }""", "strategy.enqueue[1].momentum")]
    [InlineData("""{ "kind": "tpe", "enqueue": [{"lr": 2}] }""", "strategy.enqueue[0].lr")]
    [InlineData("""{ "kind": "tpe", "enqueue": [{"dropout": "high"}] }""", "strategy.enqueue[0].dropout")]
    [InlineData("""{ "kind": "grid", "enqueue": [{"lr": 0.01}] }""", "strategy.enqueue")]
    [InlineData("""{ "kind": "random", "enqueue": [{"lr": 0.01}, {"lr": 0.02}, {"lr": 0.03}] }""", "strategy.enqueue")]
    public void Parse_NamesTheBadEnqueuedField(string strategy, string field)
    {
        var errors = new HpSearch.Domain.Validation.SpecErrors();
        ExperimentSpec.TryParse(TestSpecs.Json($$"""
            { "name": "t", "dataset": "mnist",
              "searchSpace": { "lr": { "type": "logUniform", "low": 1e-5, "high": 1e-1 }, "dropout": { "type": "uniform", "low": 0, "high": 0.5 } },
              "strategy": {{strategy}}, "budget": { "maxTrials": 2 } }
            """), FakeCatalog.Instance, errors);
        Assert.True(errors.Has(field), $"expected an error on {field}; got {errors}");
    }
}
