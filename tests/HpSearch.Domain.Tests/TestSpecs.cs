using System.Text.Json;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Parameters;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Tests;

/// <summary>A catalog with one built-in trainer (known parameter names) and one command trainer (any name).</summary>
internal sealed class FakeCatalog : ISpecCatalog
{
    public static readonly FakeCatalog Instance = new();

    public IReadOnlyCollection<string> Trainers { get; } = ["builtin", "script"];
    public IReadOnlyCollection<string> Datasets { get; } = ["mnist", "fashion-mnist"];

    public ParameterSchema? SchemaOf(string trainer) => trainer == "builtin"
        ? new ParameterSchema(new Dictionary<string, ParameterRule>
        {
            ["lr"] = ParameterRule.Number(0, 10, minExclusive: true),
            ["weightDecay"] = ParameterRule.Number(0, 1),
            ["dropout"] = ParameterRule.NumberList(0, 1, maxExclusive: true, maxItems: 8),
            ["optimizer"] = ParameterRule.Choice("sgd", "momentum", "adam"),
            ["hidden"] = ParameterRule.IntegerList(1, 4096, 8),
            ["epochs"] = ParameterRule.Integer(1, 10_000),
            ["batchSize"] = ParameterRule.Integer(1, 4096),
            ["layers"] = ParameterRule.Integer(1, 16),
            ["classes"] = ParameterRule.Integer(2, 1000),
            ["model"] = ParameterRule.Choice("mlp", "cnn"),
        }) { Metrics = new HashSet<string>(Objective.BuiltinMetrics) }
        : ParameterSchema.Open;
}

/// <summary>Builds specs, trials and curves for tests.</summary>
internal static class TestSpecs
{
    public const string MinimalJson = """
        { "name": "t", "dataset": "mnist", "searchSpace": { "lr": { "type": "logUniform", "low": 1e-5, "high": 1e-1 } } }
        """;

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    public static ExperimentSpec Parse(string json) => ExperimentSpec.Parse(Json(json), FakeCatalog.Instance);

    /// <summary>A random-search spec over lr (log) and dropout, with the given budget and objective.</summary>
    public static ExperimentSpec Spec(int maxTrials = 10, int maxFailed = 2, string metric = "valAccuracy", string direction = "maximize",
        string strategy = """{ "kind": "random", "seed": 7 }""", string extraBudget = "") => Parse($$"""
        {
          "name": "t", "dataset": "mnist",
          "searchSpace": {
            "lr": { "type": "logUniform", "low": 1e-5, "high": 1e-1 },
            "dropout": { "type": "uniform", "low": 0.0, "high": 0.5 }
          },
          "objective": { "metric": "{{metric}}", "direction": "{{direction}}" },
          "strategy": {{strategy}},
          "budget": { "maxTrials": {{maxTrials}}, "maxFailedTrials": {{maxFailed}}, "parallelism": 2 {{extraBudget}} }
        }
        """);

    public static EpochPoint Epoch(int epoch, params (string Metric, double Value)[] metrics) =>
        new(epoch, metrics.ToDictionary(m => m.Metric, m => m.Value));

    /// <summary>A trial whose objective (valAccuracy unless named) took these values, epoch by epoch.</summary>
    public static TrialRecord Trial(int number, TrialStatus status, IReadOnlyList<double> values, string metric = "valAccuracy",
        TrialOptions? options = null, Dictionary<string, object>? parameters = null) =>
        new(number, status, parameters ?? new Dictionary<string, object> { ["lr"] = 0.01 },
            values.Select((v, i) => Epoch(i + 1, (metric, v))).ToList(), Options: options);
}
