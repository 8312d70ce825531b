using HpSearch.Domain.Experiments;
using HpSearch.Domain.Importance;
using HpSearch.Domain.Sampling;
using HpSearch.Domain.Search;
using HpSearch.Domain.Validation;

namespace HpSearch.Domain.Tests.Search;

/// <summary>Parameters that exist only under a condition on a categorical parent (momentum for sgd, beta2 for adam):
/// parsed and checked, dropped from every suggestion where the condition fails, gridded without repeats, and counted by
/// the importance analysis.</summary>
public class ConditionalSpaceTests
{
    private const string Space = """
        {
          "lr": { "type": "logUniform", "low": 1e-4, "high": 1e-1, "points": 2 },
          "optimizer": { "type": "categorical", "values": ["sgd", "nesterov", "adam"] },
          "momentum": { "type": "uniform", "low": 0.5, "high": 0.99, "points": 3, "when": { "optimizer": ["sgd", "nesterov"] } },
          "beta2": { "type": "categorical", "values": [0.99, 0.999], "when": { "optimizer": "adam" } },
          "amsgrad": { "type": "categorical", "values": [true, false], "when": { "optimizer": "adam", "beta2": [0.999] } }
        }
        """;

    private static ExperimentSpec Spec(string strategy, int maxTrials = 40) => TestSpecs.Parse($$"""
        {
          "name": "c", "dataset": "mnist", "trainer": "script",
          "searchSpace": {{Space}},
          "strategy": {{strategy}},
          "budget": { "maxTrials": {{maxTrials}}, "parallelism": 40 }
        }
        """);

    private static (SearchSpace Space, SpecErrors Errors) ParseSpace(string json)
    {
        var errors = new SpecErrors();
        return (SearchSpace.Parse(TestSpecs.Json(json), errors), errors);
    }

    /// <summary>The rule every suggestion must keep.</summary>
    private static void AssertConsistent(IReadOnlyDictionary<string, object> values)
    {
        var optimizer = (string)values["optimizer"];
        Assert.Equal(optimizer is "sgd" or "nesterov", values.ContainsKey("momentum"));
        Assert.Equal(optimizer == "adam", values.ContainsKey("beta2"));
        Assert.Equal(optimizer == "adam" && ParameterValue.AsDouble(values["beta2"]) == 0.999, values.ContainsKey("amsgrad"));
        Assert.True(values.ContainsKey("lr"));
    }

    [Fact]
    public void Parse_ReadsTheCondition_OfEveryKind()
    {
        var (space, errors) = ParseSpace(Space);
        Assert.True(errors.IsEmpty, errors.ToString());
        Assert.True(space.IsConditional);
        Assert.Equal(["sgd", "nesterov"], space["momentum"]!.When!.Parents.Single().Values);
        Assert.Equal(["optimizer", "beta2"], space["amsgrad"]!.When!.Parents.Select(p => p.Parent));
        Assert.Equal(["optimizer", "beta2"], space.Parents.Select(p => p.Name));
        Assert.Null(space["lr"]!.When);
    }

    [Theory]
    [InlineData("""{ "a": { "type": "uniform", "low": 0, "high": 1, "when": { "nope": ["x"] } } }""", "searchSpace.a.when.nope")]
    [InlineData("""{ "o": { "type": "uniform", "low": 0, "high": 1 }, "a": { "type": "uniform", "low": 0, "high": 1, "when": { "o": [0.5] } } }""", "searchSpace.a.when.o")]
    [InlineData("""{ "o": { "type": "categorical", "values": ["x", "y"] }, "a": { "type": "uniform", "low": 0, "high": 1, "when": { "o": ["z"] } } }""", "searchSpace.a.when.o")]
    [InlineData("""{ "o": { "type": "categorical", "values": ["x"] }, "a": { "type": "uniform", "low": 0, "high": 1, "when": { "o": [] } } }""", "searchSpace.a.when.o")]
    [InlineData("""{ "o": { "type": "categorical", "values": ["x"] }, "a": { "type": "uniform", "low": 0, "high": 1, "when": { "o": [{"x": 1}] } } }""", "searchSpace.a.when.o")]
    [InlineData("""{ "a": { "type": "uniform", "low": 0, "high": 1, "when": "sgd" } }""", "searchSpace.a.when")]
    [InlineData("""{ "a": { "type": "uniform", "low": 0, "high": 1, "when": {} } }""", "searchSpace.a.when")]
    [InlineData("""{ "a": { "type": "categorical", "values": ["x", "y"], "when": { "b": "x" } }, "b": { "type": "categorical", "values": ["x", "y"], "when": { "a": "x" } } }""", "searchSpace.a.when")]
    [InlineData("""{ "a": { "type": "categorical", "values": ["x", "y"], "when": { "a": "x" } } }""", "searchSpace.a.when")]
    public void Parse_NamesTheField_OfABadCondition(string json, string field)
    {
        var (_, errors) = ParseSpace(json);
        Assert.True(errors.Has(field), errors.ToString());
    }

    [Fact]
    public void ActiveOnly_DropsWhatDoesNotExist_AndFollowsNestedConditions()
    {
        var (space, _) = ParseSpace(Space);
        var sgd = space.ActiveOnly(new Dictionary<string, object> { ["lr"] = 0.01, ["optimizer"] = "sgd", ["momentum"] = 0.9, ["beta2"] = 0.999, ["amsgrad"] = true, ["epochs"] = 3L });
        Assert.Equal(["epochs", "lr", "momentum", "optimizer"], sgd.Keys.Order());
        var adam = space.ActiveOnly(new Dictionary<string, object> { ["lr"] = 0.01, ["optimizer"] = "adam", ["momentum"] = 0.9, ["beta2"] = 0.99, ["amsgrad"] = true });
        Assert.Equal(["beta2", "lr", "optimizer"], adam.Keys.Order()); // amsgrad needs beta2 0.999
    }

    [Theory]
    [InlineData("""{ "kind": "random", "seed": 5 }""")]
    [InlineData("""{ "kind": "tpe", "seed": 5, "tpe": { "startupTrials": 4 } }""")]
    [InlineData("""{ "kind": "tpe", "seed": 5, "tpe": { "startupTrials": 4, "multivariate": true } }""")]
    [InlineData("""{ "kind": "hyperband", "seed": 5 }""")]
    [InlineData("""{ "kind": "grid", "gridPoints": 2 }""")]
    public void EveryStrategy_SuggestsOnlyTheParametersThatExist(string strategy)
    {
        var spec = Spec(strategy);
        var strategyImpl = HpSearch.Domain.Strategies.Strategies.Create(spec);
        var history = new List<TrialRecord>();
        // Several rounds, each round's trials finished with a value, so the model-based samplers leave their start-up.
        for (var round = 0; round < 4 && history.Count < 40; round++)
        {
            var requests = strategyImpl.Next(spec, history, 8).NewTrials;
            foreach (var r in requests)
            {
                AssertConsistent(r.Params);
                var value = r.Params.TryGetValue("momentum", out var m) ? ParameterValue.AsDouble(m) : 0.3;
                history.Add(new TrialRecord(history.Count, TrialStatus.Completed, r.Params, [TestSpecs.Epoch(1, ("valAccuracy", value))]));
            }
        }
        Assert.True(history.Count >= 8);
        Assert.Contains(history, t => t.Params.ContainsKey("momentum"));
        Assert.Contains(history, t => t.Params.ContainsKey("beta2"));
    }

    [Fact]
    public void Grid_TakesEachDistinctConfigurationOnce()
    {
        var (space, _) = ParseSpace(Space);
        var grid = new GridSampler(2);
        // sgd, nesterov: lr 2 × momentum 3 = 6 each; adam: beta2 0.99 → lr 2, beta2 0.999 → lr 2 × amsgrad 2 = 4.
        Assert.Equal(6 + 6 + 2 + 4, grid.Size(space));
        var all = Enumerable.Range(0, 18).Select(n => space.ActiveOnly(grid.Suggest(space, n, []))).ToList();
        foreach (var v in all) AssertConsistent(v);
        var texts = all.Select(v => string.Join(",", v.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={ParameterValue.AsString(kv.Value)}"))).ToList();
        Assert.Equal(18, texts.Distinct().Count());
        Assert.Equal(texts[0], string.Join(",", space.ActiveOnly(grid.Suggest(space, 18, [])).OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={ParameterValue.AsString(kv.Value)}"))); // wraps
    }

    [Fact]
    public void Grid_WithoutConditions_KeepsItsOrder_FirstParameterSlowest()
    {
        var space = new SearchSpace([
            new ParameterSpec("a", ParameterKind.Categorical, Values: ["x", "y"]),
            new ParameterSpec("b", ParameterKind.Categorical, Values: [1L, 2L, 3L]),
        ]);
        var grid = new GridSampler();
        Assert.Equal(["x1", "x2", "x3", "y1", "y2", "y3"],
            Enumerable.Range(0, 6).Select(n => grid.Suggest(space, n, [])).Select(v => $"{v["a"]}{v["b"]}"));
    }

    [Fact]
    public void Parse_RefusesAConditionalGrid_WhoseParentsHaveTooManyCombinations()
    {
        var values = string.Join(",", Enumerable.Range(0, 400).Select(i => $"\"v{i}\""));
        var errors = new SpecErrors();
        ExperimentSpec.TryParse(TestSpecs.Json($$"""
            {
              "name": "c", "dataset": "mnist", "trainer": "script", "strategy": { "kind": "grid" },
              "searchSpace": {
                "a": { "type": "categorical", "values": [{{values}}] },
                "b": { "type": "categorical", "values": [{{values}}] },
                "c": { "type": "uniform", "low": 0, "high": 1, "when": { "a": "v1", "b": "v2" } }
              }
            }
            """), FakeCatalog.Instance, errors);
        Assert.True(errors.Has("searchSpace"), errors.ToString());
    }

    [Fact]
    public void Enqueue_RefusesAConditionalParameter_WithoutParentValuesThatMakeItExist()
    {
        var errors = new SpecErrors();
        ExperimentSpec.TryParse(TestSpecs.Json($$"""
            {
              "name": "c", "dataset": "mnist", "trainer": "script", "searchSpace": {{Space}},
              "strategy": { "kind": "random", "enqueue": [ { "momentum": 0.9 }, { "optimizer": "adam", "momentum": 0.9 }, { "optimizer": "sgd", "momentum": 0.9 } ] }
            }
            """), FakeCatalog.Instance, errors);
        Assert.True(errors.Has("strategy.enqueue[0].momentum"), errors.ToString());
        Assert.True(errors.Has("strategy.enqueue[1].momentum"), errors.ToString());
        Assert.False(errors.Has("strategy.enqueue[2].momentum"), errors.ToString());
    }

    [Fact]
    public void SixStep_RefusesAConditionalLearningRate()
    {
        var errors = new SpecErrors();
        ExperimentSpec.TryParse(TestSpecs.Json("""
            {
              "name": "c", "dataset": "mnist", "trainer": "script", "strategy": { "kind": "six-step" },
              "searchSpace": {
                "optimizer": { "type": "categorical", "values": ["sgd", "adam"] },
                "lr": { "type": "logUniform", "low": 1e-4, "high": 1e-1, "when": { "optimizer": "sgd" } }
              }
            }
            """), FakeCatalog.Instance, errors);
        Assert.True(errors.Has("searchSpace.lr.when"), errors.ToString());
    }

    [Fact]
    public void Importance_CountsTrialsWithoutTheConditionalParameter_AndRanksWhatDrivesTheObjective()
    {
        var (space, _) = ParseSpace(Space);
        var rng = new Random(11);
        var trials = new List<TrialRecord>();
        for (var n = 0; n < 60; n++)
        {
            var values = space.ActiveOnly(new RandomSampler(3).Suggest(space, n, []));
            // The objective is momentum's value where it exists, flat for adam: momentum must matter most.
            var value = values.TryGetValue("momentum", out var m) ? ParameterValue.AsDouble(m) : 0.5;
            value += rng.NextDouble() * 0.01;
            trials.Add(new TrialRecord(n, TrialStatus.Completed, values, [TestSpecs.Epoch(1, ("valAccuracy", value))]));
        }
        var report = ParameterImportance.Compute(trials, space, new Objective("valAccuracy", true));
        Assert.Equal(60, report.Trials);
        Assert.Equal("momentum", report.Parameters[0].Name);
        Assert.Equal(["amsgrad", "beta2", "lr", "momentum", "optimizer"], report.Parameters.Select(p => p.Name).Order());
    }
}
