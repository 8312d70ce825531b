using HpSearch.Domain.Experiments;
using HpSearch.Domain.Validation;

namespace HpSearch.Domain.Tests.Experiments;

public class ObjectivesReaderTests
{
    private const string Space = """ "searchSpace": {"lr": {"type": "uniform", "low": 0.01, "high": 0.1}} """;

    private static SpecErrors Errors(string json)
    {
        var errors = new SpecErrors();
        ExperimentSpec.TryParse(TestSpecs.Json(json), FakeCatalog.Instance, errors);
        return errors;
    }

    [Fact]
    public void Parse_ReadsSeveralObjectives_InTheirOrder_WithTheFirstAsTheObjective()
    {
        var spec = TestSpecs.Parse($$"""
            { "name": "t", "dataset": "mnist", {{Space}},
              "objectives": [{ "metric": "valAccuracy", "direction": "maximize" }, { "metric": "parameters" }] }
            """);
        Assert.Equal([new Objective("valAccuracy", true), new Objective("parameters", false)], spec.Objectives);
        Assert.Equal(new Objective("valAccuracy", true), spec.Objective);
        Assert.True(spec.IsMultiObjective);
    }

    [Fact]
    public void Parse_KeepsTheSingleObjectiveForm()
    {
        var spec = TestSpecs.Parse($$"""{ "name": "t", "dataset": "mnist", {{Space}}, "objective": { "metric": "valLoss" } }""");
        Assert.Equal([new Objective("valLoss", false)], spec.Objectives);
        Assert.False(spec.IsMultiObjective);
    }

    [Fact]
    public void Parse_AcceptsAnyWellFormedMetric_WhenTheTrainerDeclaresNone()
    {
        var spec = TestSpecs.Parse($$"""
            { "name": "t", "trainer": "script", "dataset": "mnist", {{Space}},
              "objectives": [{ "metric": "f1.macro", "direction": "maximize" }, { "metric": "latency_ms", "direction": "minimize" }] }
            """);
        Assert.Equal(["f1.macro", "latency_ms"], spec.Objectives.Select(o => o.Metric));
    }

    [Theory]
    [InlineData("""{ "metric": "bleu" }""", "objective.metric")] // the built-in trainer does not report it
    [InlineData("""{ "metric": "9lives" }""", "objective.metric")]
    [InlineData("""{ "metric": "val accuracy" }""", "objective.metric")]
    [InlineData("""{ "metric": "testLoss" }""", "objective.metric")]
    [InlineData("""{ "metric": "valAccuracy", "weight": 2 }""", "objective.weight")]
    public void Parse_NamesTheBadObjectiveField(string objective, string field)
    {
        var errors = Errors($$"""{ "name": "t", "dataset": "mnist", {{Space}}, "objective": {{objective}} }""");
        Assert.True(errors.Has(field), $"expected an error on {field}; got {errors}");
    }

    [Theory]
    [InlineData("""[]""", "objectives")]
    [InlineData("""{ "metric": "valLoss" }""", "objectives")]
    [InlineData("""[{ "metric": "valLoss" }, { "metric": "seconds" }, { "metric": "parameters" }, { "metric": "trainLoss" }]""", "objectives")]
    [InlineData("""[{ "metric": "valLoss" }, { "metric": "valLoss", "direction": "maximize" }]""", "objectives[1].metric")]
    [InlineData("""[{ "metric": "valLoss" }, { "metric": "parameters", "direction": "down" }]""", "objectives[1].direction")]
    [InlineData("""[{ "metric": "valLoss" }, 3]""", "objectives[1]")]
    public void Parse_NamesTheBadObjectivesField(string objectives, string field)
    {
        var errors = Errors($$"""{ "name": "t", "dataset": "mnist", {{Space}}, "objectives": {{objectives}} }""");
        Assert.True(errors.Has(field), $"expected an error on {field}; got {errors}");
    }

    [Fact]
    public void Parse_RefusesBothForms()
    {
        var errors = Errors($$"""
            { "name": "t", "dataset": "mnist", {{Space}}, "objective": { "metric": "valLoss" }, "objectives": [{ "metric": "valLoss" }] }
            """);
        Assert.True(errors.Has("objectives"), errors.ToString());
    }

    [Theory]
    [InlineData("""{ "kind": "asha" }""", """{ "kind": "tpe" }""", "", "earlyStopping.kind")]
    [InlineData("""{ "kind": "median" }""", """{ "kind": "random" }""", "", "earlyStopping.kind")]
    [InlineData("""{ "kind": "none" }""", """{ "kind": "hyperband" }""", "", "strategy.kind")]
    [InlineData("""{ "kind": "none" }""", """{ "kind": "bohb" }""", "", "strategy.kind")]
    [InlineData("""{ "kind": "none" }""", """{ "kind": "six-step" }""", "", "strategy.kind")]
    [InlineData("""{ "kind": "none" }""", """{ "kind": "tpe" }""", """ "targetValue": 0.9 """, "budget.targetValue")]
    public void Parse_RefusesRulesThatRankOnOneValue_WhenThereAreSeveralObjectives(string stopping, string strategy, string budget, string field)
    {
        var errors = Errors($$"""
            { "name": "t", "dataset": "mnist", {{Space}},
              "objectives": [{ "metric": "valAccuracy" }, { "metric": "seconds" }],
              "strategy": {{strategy}}, "earlyStopping": {{stopping}}, "budget": { "maxTrials": 30 {{(budget.Length > 0 ? "," + budget : "")}} } }
            """);
        Assert.True(errors.Has(field), $"expected an error on {field}; got {errors}");
    }

    [Fact]
    public void Parse_AcceptsPatienceAndTpe_WithSeveralObjectives()
    {
        var spec = TestSpecs.Parse($$"""
            { "name": "t", "dataset": "mnist", {{Space}},
              "objectives": [{ "metric": "valAccuracy" }, { "metric": "seconds" }],
              "strategy": { "kind": "tpe" }, "earlyStopping": { "kind": "patience", "patience": 2 } }
            """);
        Assert.Equal(StrategyKind.Tpe, spec.Strategy.Kind);
        Assert.Equal([true, false], spec.Objectives.Select(o => o.Maximize));
    }
}
