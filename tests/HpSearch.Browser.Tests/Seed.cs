using System.Text.Json;
using HpSearch.Persistence;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence.Model;
using HpSearch.Testing;

namespace HpSearch.Browser.Tests;

/// <summary>
/// Rows written straight through the Persistence model: a finished six-step experiment (completed, pruned, diverged
/// and failed trials, stage outcomes, activation statistics) and a running random search whose epochs a test appends.
/// </summary>
public static class Seed
{
    public const string Spec = """
        {
          "name": "browser-six-step", "trainer": "builtin", "dataset": "synthetic-blobs",
          "params": { "model": "mlp", "hidden": [32], "activation": "relu", "init": "he", "epochs": 8 },
          "searchSpace": {
            "lr": { "type": "logUniform", "low": 1e-5, "high": 1e-1 },
            "weightDecay": { "type": "logUniform", "low": 1e-8, "high": 1e-3 },
            "optimizer": { "type": "categorical", "values": ["sgd", "momentum", "adam"] }
          },
          "objective": { "metric": "valAccuracy", "direction": "maximize" },
          "strategy": { "kind": "six-step", "seed": 7 },
          "budget": { "maxTrials": 24, "parallelism": 2 },
          "earlyStopping": { "kind": "asha", "minEpochs": 1, "reductionFactor": 3 }
        }
        """;

    private static readonly string[] Stages = ["initial-loss", "overfit", "lr-finder", "coarse", "refine", "curves"];
    private static readonly string[] Optimizers = ["sgd", "momentum", "adam"];

    public sealed record Seeded(Guid FinishedId, Guid RunningId, Guid RunningTrialId, Guid BestTrialId, Guid PrunedTrialId, int RunningTrialEpochs);

    public static async Task<Seeded> WriteAsync(HpSearchDb db, int finishedTrials = 24, int epochs = 8, int? seed = null)
    {
        var random = new Random(seed ?? 11);
        var now = DateTimeOffset.UtcNow;
        var epochRows = new List<TrialEpoch>(); // written after the trials: the foreign key has no EF navigation
        var finished = NewExperiment("browser-six-step", "completed", "six-step", finishedTrials, epochs, now.AddMinutes(-30));
        finished.FinishedAt = now.AddMinutes(-2);
        finished.CurrentStage = null;
        finished.StagesJson = JsonSerializer.Serialize(Stages.Select((name, i) => new
        {
            number = i + 1, name, status = "passed",
            summary = i switch
            {
                0 => "initial loss 1.10 ≈ ln(3) = 1.10 with regularization off",
                1 => "20 examples overfit to 100% train accuracy in 40 iterations",
                2 => "loss falls within 100 iterations for lr in [1e-3, 3e-2]; picked 1e-2",
                3 => "coarse grid 0.5×/1×/2× lr × weight decay {0, 1e-5, 1e-4}",
                4 => "refined the best 3 for 8 epochs without lr decay",
                _ => "train and validation losses close, both still falling",
            },
            diagnosis = i == 5 ? "slight underfitting: train longer or use a bigger model" : null,
            values = i == 0 ? new Dictionary<string, double> { ["initialLoss"] = 1.101, ["expected"] = 1.0986 } : null,
        }), WireOptions);
        db.Experiments.Add(finished);

        Trial? best = null;
        Trial? pruned = null;
        for (var n = 0; n < finishedTrials; n++)
        {
            var stage = Stages[Math.Min(5, 1 + n * 5 / finishedTrials)];
            var lr = Math.Pow(10, -5 + 4 * random.NextDouble());
            var wd = Math.Pow(10, -8 + 5 * random.NextDouble());
            var opt = Optimizers[random.Next(3)];
            var quality = Math.Exp(-Math.Pow(Math.Log10(lr) + 2, 2) / 1.5) * (opt == "adam" ? 1 : 0.85);
            var status = n % 6 == 3 ? "pruned" : n == 5 ? "diverged" : n == 7 ? "failed" : n % 4 == 1 ? "pruned" : "completed";
            var trainedEpochs = status switch { "pruned" => 1 + n % 3, "diverged" => 2, "failed" => 1, _ => epochs };
            var t = NewTrial(finished.Id, n, status, stage, new { lr, weightDecay = wd, optimizer = opt }, epochs, now.AddMinutes(-29 + n));
            var accs = new List<double>();
            for (var e = 1; e <= trainedEpochs; e++)
            {
                var acc = 0.33 + 0.6 * quality * (1 - Math.Exp(-e / 2.5)) + 0.01 * random.NextDouble();
                var diverged = status == "diverged" && e == trainedEpochs;
                accs.Add(acc);
                epochRows.Add(Epoch(t.Id, e, acc, diverged ? double.NaN : 1.1 * (1 - acc) + 0.05 * random.NextDouble(), lr, withLayers: n % 2 == 0, now.AddMinutes(-29 + n)));
            }
            t.EpochCount = trainedEpochs;
            t.BestValue = status == "diverged" ? accs.Take(accs.Count - 1).Max() : accs.Max();
            t.BestEpoch = accs.IndexOf(t.BestValue.Value) + 1;
            t.FinishedAt = now.AddMinutes(-28 + n);
            t.StopReasonJson = status switch
            {
                "pruned" => JsonSerializer.Serialize(new { rule = "asha", epoch = trainedEpochs, rung = trainedEpochs, value = accs[^1], threshold = accs[^1] + 0.04, message = $"below the top 1/3 at rung {trainedEpochs}", pruned = true }, WireOptions),
                "diverged" => JsonSerializer.Serialize(new { rule = "divergence", epoch = trainedEpochs, message = "training loss became NaN", pruned = false }, WireOptions),
                _ => null,
            };
            if (status == "failed") t.Error = "System.InvalidOperationException: out of memory in layer fc1 (seeded failure)";
            t.SummaryJson = JsonSerializer.Serialize(new { initialLoss = 1.1 }, WireOptions);
            db.Trials.Add(t);
            if (status == "completed" && (best is null || t.BestValue > best.BestValue)) best = t;
            if (status == "pruned") pruned ??= t;
        }
        best!.TestAccuracy = best.BestValue - 0.012;
        best.TestLoss = 0.21;
        finished.BestTrialId = best.Id;
        finished.BestValue = best.BestValue;

        var running = NewExperiment("browser-running", "running", "random", 8, epochs, now.AddMinutes(-1));
        running.SpecJson = Spec.Replace("\"six-step\"", "\"random\"").Replace("browser-six-step", "browser-running");
        db.Experiments.Add(running);
        Trial? live = null;
        for (var n = 0; n < 4; n++)
        {
            var status = n < 2 ? "completed" : "running";
            var trained = status == "completed" ? epochs : 2;
            var t = NewTrial(running.Id, n, status, null, new { lr = Math.Pow(10, -4 + n), weightDecay = 1e-5, optimizer = Optimizers[n % 3] }, epochs, now.AddSeconds(-50 + n));
            for (var e = 1; e <= trained; e++) epochRows.Add(Epoch(t.Id, e, 0.4 + 0.05 * e + 0.01 * n, 1.0 - 0.08 * e, 1e-3, withLayers: false, now.AddSeconds(-40 + e)));
            t.EpochCount = trained;
            t.BestValue = 0.4 + 0.05 * trained + 0.01 * n;
            t.BestEpoch = trained;
            t.Worker = status == "running" ? $"browser-node/cpu/{n - 2}" : "browser-node/cpu/0";
            if (status == "completed") t.FinishedAt = now.AddSeconds(-20 + n);
            db.Trials.Add(t);
            if (n == 3)
            {
                live = t;
                // Its first worker died mid-run: this is the second attempt.
                t.Attempt = 2;
                t.WorkerDeaths = 1;
            }
        }
        running.BestTrialId = db.Trials.Local.Where(t => t.ExperimentId == running.Id && t.Status == TrialStatus.Completed).OrderByDescending(t => t.BestValue).First().Id;
        running.BestValue = db.Trials.Local.Single(t => t.Id == running.BestTrialId).BestValue;

        db.Workers.Add(new WorkerNode
        {
            Node = "browser-node",
            PoolsJson = """[{"name":"cpu","slots":2}]""",
            SlotsJson = JsonSerializer.Serialize(new object[]
            {
                new { pool = "cpu", index = 0, trialId = (Guid?)db.Trials.Local.Single(t => t.ExperimentId == running.Id && t.Number == 2).Id, experimentId = (Guid?)running.Id, trialNumber = (int?)2, since = (DateTimeOffset?)now.AddSeconds(-30) },
                new { pool = "cpu", index = 1, trialId = (Guid?)live!.Id, experimentId = (Guid?)running.Id, trialNumber = (int?)3, since = (DateTimeOffset?)now.AddSeconds(-10) },
            }, WireOptions),
            StartedAt = now.AddHours(-1),
            LastHeartbeat = now.AddYears(1), // stays "alive" for the whole test run
        });
        await db.SaveChangesAsync();
        db.TrialEpochs.AddRange(epochRows);
        await db.SaveChangesAsync();
        // The finished experiment kept its best trial's files (as a command trainer's run leaves them), for 30 days.
        await HpSearch.Persistence.Artifacts.ArtifactStore.SaveFilesAsync(db, best!.Id,
            [new("model.txt", System.Text.Encoding.UTF8.GetBytes("weights of the best trial")), new("logs/train.log", new byte[2048])], now, CancellationToken.None);
        await HpSearch.Persistence.Artifacts.ArtifactStore.KeepAsync(db, finished.Id, [best!.Id], "builtin", now.AddDays(30), now, CancellationToken.None);
        return new Seeded(finished.Id, running.Id, live.Id, best.Id, pruned!.Id, live.EpochCount);
    }

    /// <summary>One more epoch of a running trial, written as a worker would (row upserted, trial touched).</summary>
    public static async Task AppendEpochAsync(HpSearchDb db, Guid trialId, int epoch, double valAccuracy)
    {
        var now = DateTimeOffset.UtcNow;
        db.TrialEpochs.Add(Epoch(trialId, epoch, valAccuracy, 0.3, 1e-3, withLayers: false, now));
        var t = await db.Trials.FindAsync(trialId) ?? throw new InvalidOperationException("no such trial");
        t.EpochCount = epoch;
        t.BestValue = Math.Max(t.BestValue ?? 0, valAccuracy);
        t.BestEpoch = t.BestValue == valAccuracy ? epoch : t.BestEpoch;
        t.UpdatedAt = now;
        await db.SaveChangesAsync();
    }

    private static readonly JsonSerializerOptions WireOptions = new(JsonSerializerDefaults.Web);

    private static Experiment NewExperiment(string name, string status, string strategy, int maxTrials, int epochs, DateTimeOffset created) => new Experiment
    {
        // Each experiment's stored spec carries its own name and strategy, as a submitted one would.
        Id = Guid.NewGuid(), Name = name, Strategy = strategy, Trainer = "builtin",
        SpecJson = Spec.Replace("\"browser-six-step\"", $"\"{name}\"").Replace("\"six-step\"", $"\"{strategy}\""),
        Dataset = "synthetic-blobs", Pool = "cpu", ObjectiveMetric = "valAccuracy", Maximize = true, MaxTrials = maxTrials,
        Parallelism = 2, MaxEpochs = epochs, CreatedAt = created, StartedAt = created.AddSeconds(1), UpdatedAt = DateTimeOffset.UtcNow,
        SamplingDone = status != "running",
    }.At(Lifecycle.ParseExperimentStatus(status));

    private static Trial NewTrial(Guid experimentId, int number, string status, string? stage, object parameters, int maxEpochs, DateTimeOffset created) => new Trial
    {
        Id = Guid.NewGuid(), ExperimentId = experimentId, Number = number, Stage = stage,
        ParamsJson = JsonSerializer.Serialize(parameters, WireOptions), MaxEpochs = maxEpochs, Seed = number, Attempt = 1,
        Worker = $"browser-node/cpu/{number % 2}", CreatedAt = created, StartedAt = created.AddSeconds(1), UpdatedAt = DateTimeOffset.UtcNow,
    }.At(Lifecycle.ParseTrialStatus(status));

    private static TrialEpoch Epoch(Guid trialId, int epoch, double valAccuracy, double trainLoss, double lr, bool withLayers, DateTimeOffset at) => new()
    {
        TrialId = trialId, Epoch = epoch, Attempt = 1,
        TrainLoss = double.IsNaN(trainLoss) ? null : trainLoss, TrainAccuracy = Math.Min(1, valAccuracy + 0.03),
        ValLoss = double.IsNaN(trainLoss) ? null : trainLoss + 0.05, ValAccuracy = valAccuracy, Lr = lr, Seconds = 0.4, GradNorm = 1.3,
        LayersJson = withLayers
            ? """[{"layer":"fc1","mean":0.21,"std":0.48,"deadFraction":0.12,"saturatedFraction":0.0},{"layer":"fc2","mean":0.05,"std":0.9,"deadFraction":0.02,"saturatedFraction":0.01}]"""
            : null,
        RecordedAt = at,
    };
}
