namespace HpSearch.Api.Experiments;

/// <summary>Example specs shown on <c>POST /api/experiments</c>: every strategy kind and every stopping rule appears in at
/// least one (a test submits each to the parser and checks the coverage).</summary>
public static class SpecExamples
{
    public static readonly IReadOnlyList<(string Name, string Summary, string Json)> All =
    [
        ("random-asha", "Random search, ASHA with patience (DESIGN.md's example sweep)", """
            {
              "name": "fashion-lr-wd", "trainer": "builtin", "dataset": "fashion-mnist",
              "params": { "model": "mlp", "hidden": [256, 256], "activation": "relu", "init": "he", "epochs": 20 },
              "searchSpace": {
                "lr": { "type": "logUniform", "low": 1e-6, "high": 1e-2 },
                "weightDecay": { "type": "logUniform", "low": 1e-8, "high": 1e-4 },
                "optimizer": { "type": "categorical", "values": ["sgd", "momentum", "adam"] },
                "dropout": { "type": "uniform", "low": 0.0, "high": 0.5 }
              },
              "objective": { "metric": "valAccuracy", "direction": "maximize" },
              "strategy": { "kind": "random", "seed": 42 },
              "budget": { "maxTrials": 30, "parallelism": 2, "maxFailedTrials": 5 },
              "earlyStopping": { "kind": "asha", "minEpochs": 1, "reductionFactor": 3, "patience": 3 }
            }
            """),
        ("grid-none", "A grid of 3 log-spaced learning rates × 2 optimizers, no early stopping", """
            {
              "name": "blobs-grid", "dataset": "synthetic-blobs",
              "params": { "model": "mlp", "hidden": [32], "epochs": 5 },
              "searchSpace": {
                "lr": { "type": "logUniform", "low": 1e-3, "high": 1e-1, "points": 3 },
                "optimizer": { "type": "categorical", "values": ["sgd", "adam"] }
              },
              "objective": { "metric": "valLoss", "direction": "minimize" },
              "strategy": { "kind": "grid" },
              "budget": { "maxTrials": 6, "parallelism": 2 },
              "earlyStopping": { "kind": "none" }
            }
            """),
        ("tpe-median", "TPE, median stopping rule", """
            {
              "name": "mnist-tpe", "dataset": "mnist",
              "params": { "model": "mlp", "hidden": [128], "epochs": 8 },
              "searchSpace": {
                "lr": { "type": "logUniform", "low": 1e-5, "high": 1e-1 },
                "dropout": { "type": "uniform", "low": 0.0, "high": 0.5 }
              },
              "strategy": { "kind": "tpe", "seed": 7, "tpe": { "startupTrials": 5, "multivariate": true } },
              "budget": { "maxTrials": 40, "parallelism": 2 },
              "earlyStopping": { "kind": "median", "startupTrials": 5, "warmupEpochs": 2 }
            }
            """),
        ("hyperband-patience", "Hyperband brackets, with patience inside each trial", """
            {
              "name": "fashion-hyperband", "dataset": "fashion-mnist",
              "params": { "model": "mlp", "hidden": [256, 256], "epochs": 27 },
              "searchSpace": {
                "lr": { "type": "logUniform", "low": 1e-5, "high": 1e-1 },
                "batchSize": { "type": "int", "low": 32, "high": 256, "log": true }
              },
              "strategy": { "kind": "hyperband", "seed": 1, "hyperband": { "minEpochs": 1, "reductionFactor": 3 } },
              "budget": { "maxTrials": 60, "parallelism": 2 },
              "earlyStopping": { "kind": "patience", "patience": 4, "minDelta": 0.001 }
            }
            """),
        ("bohb", "BOHB: Hyperband brackets with TPE configurations, a first configuration enqueued", """
            {
              "name": "fashion-bohb", "dataset": "fashion-mnist",
              "params": { "model": "mlp", "hidden": [256], "epochs": 9 },
              "searchSpace": {
                "lr": { "type": "logUniform", "low": 1e-5, "high": 1e-1 },
                "dropout": { "type": "uniform", "low": 0.0, "high": 0.5 }
              },
              "strategy": { "kind": "bohb", "seed": 3, "enqueue": [{ "lr": 0.001, "dropout": 0.2 }] },
              "budget": { "maxTrials": 30, "parallelism": 2 }
            }
            """),
        ("six-step", "The six-step recipe (CS231n) run as stages", """
            {
              "name": "fashion-six-step", "dataset": "fashion-mnist",
              "params": { "model": "mlp", "hidden": [256, 256], "activation": "relu", "init": "he", "batchSize": 128 },
              "searchSpace": {
                "lr": { "type": "logUniform", "low": 1e-5, "high": 1e-1 },
                "dropout": { "type": "uniform", "low": 0.0, "high": 0.5 }
              },
              "strategy": { "kind": "six-step", "seed": 42 },
              "budget": { "maxTrials": 28, "parallelism": 2 }
            }
            """),
        ("pareto-motpe", "Two objectives (accuracy up, model size down): MOTPE keeps the Pareto front", """
            {
              "name": "fashion-accuracy-vs-size", "trainer": "builtin", "dataset": "fashion-mnist",
              "params": { "model": "mlp", "activation": "relu", "init": "he", "epochs": 10 },
              "searchSpace": {
                "lr": { "type": "logUniform", "low": 1e-4, "high": 1e-1 },
                "hidden": { "type": "int", "low": 16, "high": 1024, "log": true }
              },
              "objectives": [
                { "metric": "valAccuracy", "direction": "maximize" },
                { "metric": "parameters", "direction": "minimize" }
              ],
              "strategy": { "kind": "tpe", "seed": 42 },
              "budget": { "maxTrials": 40, "parallelism": 2 },
              "earlyStopping": { "kind": "patience", "patience": 3 }
            }
            """),
    ];
}
