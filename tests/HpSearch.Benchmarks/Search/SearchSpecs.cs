using System.Text.Json.Nodes;

namespace HpSearch.Benchmarks.Search;

/// <summary>The experiment specs <c>bench search</c> submits: issue 4's sweep with each stopping rule, and a six-step run.</summary>
internal static class SearchSpecs
{
    public static JsonObject Sweep(SearchBenchOptions o, string stopping) => new()
    {
        ["name"] = $"bench-search-{stopping}",
        ["trainer"] = "builtin",
        ["dataset"] = o.Dataset,
        ["params"] = Mlp(o.Epochs),
        ["searchSpace"] = new JsonObject
        {
            ["lr"] = new JsonObject { ["type"] = "logUniform", ["low"] = 1e-5, ["high"] = 1e-1 },
            ["weightDecay"] = new JsonObject { ["type"] = "logUniform", ["low"] = 1e-8, ["high"] = 1e-3 },
            ["optimizer"] = new JsonObject { ["type"] = "categorical", ["values"] = new JsonArray("sgd", "momentum", "adam") },
            ["dropout"] = new JsonObject { ["type"] = "uniform", ["low"] = 0.0, ["high"] = 0.6 },
        },
        ["objective"] = new JsonObject { ["metric"] = "valAccuracy", ["direction"] = "maximize" },
        ["strategy"] = o.Strategy == "bohb"
            // The brackets' r and η are the ASHA run's (and the Optuna peer's SuccessiveHalvingPruner's).
            ? new JsonObject { ["kind"] = "bohb", ["seed"] = o.Seed, ["hyperband"] = new JsonObject { ["minEpochs"] = 1, ["reductionFactor"] = 3 } }
            : new JsonObject { ["kind"] = o.Strategy, ["seed"] = o.Seed },
        ["budget"] = new JsonObject { ["maxTrials"] = o.Trials, ["maxEpochs"] = o.Epochs, ["parallelism"] = o.Slots, ["maxFailedTrials"] = o.Trials },
        ["earlyStopping"] = stopping switch
        {
            _ when o.Strategy == "bohb" => new JsonObject { ["kind"] = "none" },
            // The same settings as the Optuna peer's pruners (peers/optuna_search.py).
            "median" => new JsonObject { ["kind"] = "median", ["startupTrials"] = 3, ["warmupEpochs"] = 1 },
            "asha" => new JsonObject { ["kind"] = "asha", ["minEpochs"] = 1, ["reductionFactor"] = 3 },
            _ => new JsonObject { ["kind"] = "none" },
        },
    };

    /// <summary>The six-step recipe on the same model with the recipe's default thresholds and budgets (each stage
    /// sets its own epochs, so none are fixed in params).</summary>
    public static JsonObject SixStep(SearchBenchOptions o) => new()
    {
        ["name"] = "bench-six-step",
        ["trainer"] = "builtin",
        ["dataset"] = o.Dataset,
        ["params"] = Mlp(null),
        ["searchSpace"] = new JsonObject
        {
            ["lr"] = new JsonObject { ["type"] = "logUniform", ["low"] = 1e-5, ["high"] = 1e-1 },
            ["weightDecay"] = new JsonObject { ["type"] = "logUniform", ["low"] = 1e-8, ["high"] = 1e-3 },
        },
        ["objective"] = new JsonObject { ["metric"] = "valAccuracy", ["direction"] = "maximize" },
        ["strategy"] = new JsonObject { ["kind"] = "six-step", ["seed"] = o.Seed },
        ["budget"] = new JsonObject { ["maxTrials"] = 60, ["parallelism"] = o.Slots, ["maxEpochs"] = 60 }, // the overfit stage trains 60 epochs (on 50 examples)
    };

    private static JsonObject Mlp(int? epochs)
    {
        var p = new JsonObject
        {
            ["model"] = "mlp", ["hidden"] = new JsonArray(256, 256), ["activation"] = "relu", ["init"] = "he", ["batchSize"] = 128,
        };
        if (epochs is { } e) p["epochs"] = e;
        return p;
    }
}
