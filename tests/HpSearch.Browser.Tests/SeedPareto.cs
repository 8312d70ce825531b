using System.Text.Json;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Strategies;
using HpSearch.Persistence;
using HpSearch.Persistence.Experiments;
using HpSearch.Persistence.Model;
using HpSearch.Testing;

namespace HpSearch.Browser.Tests;

/// <summary>A finished two-objective experiment (validation accuracy up, parameters down) whose stored front is the one
/// the Domain computes from its trials, as the controller would store it.</summary>
public static class SeedPareto
{
    public const string Spec = """
        {
          "name": "browser-pareto", "trainer": "builtin", "dataset": "synthetic-blobs",
          "params": { "model": "mlp", "activation": "relu", "epochs": 3 },
          "searchSpace": { "hidden": { "type": "int", "low": 4, "high": 256, "log": true }, "lr": { "type": "logUniform", "low": 1e-4, "high": 1e-1 } },
          "objectives": [{ "metric": "valAccuracy", "direction": "maximize" }, { "metric": "parameters", "direction": "minimize" }],
          "strategy": { "kind": "tpe", "seed": 3 },
          "budget": { "maxTrials": 16, "parallelism": 2 }
        }
        """;

    /// <param name="Front">The stored front: each member's trial number and values (valAccuracy, parameters).</param>
    /// <param name="BestValue">The stored best value: the front member best on the first objective.</param>
    public sealed record Seeded(Guid ExperimentId, IReadOnlyList<int> FrontNumbers, IReadOnlyList<FrontMember> Front, double BestValue);

    /// <summary>Writes the experiment under <paramref name="name"/>; <paramref name="seed"/> draws its trials.</summary>
    public static async Task<Seeded> WriteAsync(HpSearchDb db, string name = "browser-pareto", int seed = 23)
    {
        var random = new Random(seed);
        var now = DateTimeOffset.UtcNow;
        IReadOnlyList<Objective> objectives = [new("valAccuracy", true), new("parameters", false)];
        var experiment = new Experiment
        {
            Id = Guid.NewGuid(), Name = name, Strategy = "tpe", Trainer = "builtin", SpecJson = Spec.Replace("\"browser-pareto\"", JsonSerializer.Serialize(name)),
            Dataset = "synthetic-blobs",
            Pool = "cpu", ObjectiveMetric = "valAccuracy", Maximize = true, ObjectivesJson = WireJson.Serialize(new[] { new StoredObjective("valAccuracy", "maximize"), new StoredObjective("parameters", "minimize") }),
            MaxTrials = 16, Parallelism = 2, MaxEpochs = 3, CreatedAt = now.AddMinutes(-10), StartedAt = now.AddMinutes(-10),
            FinishedAt = now.AddMinutes(-1), UpdatedAt = now, SamplingDone = true,
        }.At(ExperimentStatus.Completed);
        db.Experiments.Add(experiment);

        var trials = new List<Trial>();
        var records = new List<TrialRecord>();
        var epochs = new List<TrialEpoch>();
        for (var n = 0; n < 16; n++)
        {
            var hidden = (int)Math.Round(Math.Pow(2, 2 + 6 * random.NextDouble()));
            var lr = Math.Pow(10, -4 + 3 * random.NextDouble());
            var parameters = 2.0 * hidden + hidden + hidden * 3 + 3; // a 2-feature, 3-class MLP
            var accuracy = 0.5 + 0.45 * (1 - Math.Exp(-hidden / 24.0)) * Math.Exp(-Math.Pow(Math.Log10(lr) + 2, 2) / 2) + 0.01 * random.NextDouble();
            var status = n == 4 ? TrialStatus.Failed : TrialStatus.Completed;
            var t = new Trial
            {
                Id = Guid.NewGuid(), ExperimentId = experiment.Id, Number = n, ParamsJson = JsonSerializer.Serialize(new { hidden, lr }),
                MaxEpochs = 3, Seed = n, Attempt = 1, Worker = $"browser-node/cpu/{n % 2}", CreatedAt = now.AddMinutes(-10 + n * 0.5),
                StartedAt = now.AddMinutes(-10 + n * 0.5), FinishedAt = now.AddMinutes(-9.6 + n * 0.5), UpdatedAt = now,
                EpochCount = status == TrialStatus.Failed ? 1 : 3, BestValue = accuracy, BestEpoch = 3,
                Error = status == TrialStatus.Failed ? "seeded failure" : null,
            }.At(status);
            trials.Add(t);
            var points = new List<EpochPoint>();
            for (var e = 1; e <= t.EpochCount; e++)
            {
                var acc = accuracy - 0.05 * (3 - e);
                epochs.Add(new TrialEpoch
                {
                    TrialId = t.Id, Epoch = e, Attempt = 1, TrainLoss = 1 - acc, ValLoss = 1.05 - acc, ValAccuracy = acc, TrainAccuracy = acc,
                    Lr = lr, Seconds = 0.2, ExtraJson = JsonSerializer.Serialize(new { parameters }), RecordedAt = now,
                });
                points.Add(new EpochPoint(e, new Dictionary<string, double> { ["valAccuracy"] = acc, ["parameters"] = parameters }));
            }
            records.Add(new TrialRecord(n, status, new Dictionary<string, object>(), points));
        }
        var front = ParetoFront.Of(records, objectives);
        experiment.FrontJson = StoredObjectives.FrontJson(front, trials.ToDictionary(t => t.Number, t => t.Id));
        var best = BestTrial.Choose(records, objectives)!;
        experiment.BestTrialId = trials[best.Number].Id;
        var bestValue = best.BestValue(objectives[0]) ?? throw new InvalidOperationException("the chosen trial has no value");
        experiment.BestValue = bestValue;
        db.Trials.AddRange(trials);
        await db.SaveChangesAsync();
        db.TrialEpochs.AddRange(epochs);
        await db.SaveChangesAsync();
        return new Seeded(experiment.Id, front.Select(m => m.Number).ToList(), front, bestValue);
    }
}
