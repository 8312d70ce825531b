using System.Text.Json;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence.Model;
using HpSearch.Persistence;
using HpSearch.Testing;
using Npgsql;

namespace HpSearch.Benchmarks.Dashboard;

/// <summary>
/// A large finished experiment written straight to PostgreSQL: <c>trials</c> trials × <c>epochs</c> epochs of metrics
/// (epoch rows through binary COPY), seeded so every run sees the same data. By default every trial trains every epoch
/// (the worst case for the curves); with <c>asha</c> about 40 % are cut at epoch 1, 3 or 9 as ASHA rungs would.
/// </summary>
public static class DashboardSeed
{
    public static async Task<Guid> WriteAsync(HpSearchDb db, string connectionString, int trials, int epochs, bool asha, int seed = 5)
    {
        var random = new Random(seed);
        var now = DateTimeOffset.UtcNow;
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var spec = JsonSerializer.Serialize(new
        {
            name = "bench-dashboard", trainer = "builtin", dataset = "fashion-mnist",
            @params = new { model = "mlp", hidden = new[] { 256, 256 }, epochs },
            searchSpace = new Dictionary<string, object>
            {
                ["lr"] = new { type = "logUniform", low = 1e-5, high = 1e-1 },
                ["weightDecay"] = new { type = "logUniform", low = 1e-8, high = 1e-3 },
                ["optimizer"] = new { type = "categorical", values = new[] { "sgd", "momentum", "adam" } },
                ["dropout"] = new { type = "uniform", low = 0.0, high = 0.5 },
            },
            objective = new { metric = "valAccuracy", direction = "maximize" },
            strategy = new { kind = "random", seed },
            budget = new { maxTrials = trials, parallelism = 8 },
            earlyStopping = new { kind = "asha", minEpochs = 1, reductionFactor = 3 },
        }, web);
        var experiment = new Experiment
        {
            Id = Guid.NewGuid(), Name = $"bench-{trials}x{epochs}", SpecJson = spec, Strategy = "random",
            Trainer = "builtin", Dataset = "fashion-mnist", Pool = "cpu", ObjectiveMetric = "valAccuracy", Maximize = true,
            MaxTrials = trials, Parallelism = 8, MaxEpochs = epochs, CreatedAt = now.AddHours(-3), StartedAt = now.AddHours(-3),
            FinishedAt = now, UpdatedAt = now, SamplingDone = true,
        }.At(ExperimentStatus.Completed);
        db.Experiments.Add(experiment);
        var curves = new List<(Guid Trial, double[] Acc, double[] Loss)>();
        Trial? best = null;
        for (var n = 0; n < trials; n++)
        {
            var lr = Math.Pow(10, -5 + 4 * random.NextDouble());
            var opt = new[] { "sgd", "momentum", "adam" }[random.Next(3)];
            var quality = Math.Exp(-Math.Pow(Math.Log10(lr) + 2.5, 2) / 2) * (opt == "adam" ? 1 : 0.88);
            var rung = random.NextDouble();
            var trained = !asha ? epochs : rung < 0.2 ? 1 : rung < 0.33 ? 3 : rung < 0.4 ? 9 : epochs;
            var acc = new double[trained];
            var loss = new double[trained];
            for (var e = 0; e < trained; e++)
            {
                acc[e] = 0.1 + 0.8 * quality * (1 - Math.Exp(-(e + 1) / 4.0)) + 0.01 * random.NextDouble();
                loss[e] = 2.3 * (1 - acc[e]) + 0.2 * random.NextDouble();
            }
            var t = new Trial
            {
                Id = Guid.NewGuid(), ExperimentId = experiment.Id, Number = n,
                ParamsJson = JsonSerializer.Serialize(new { lr, weightDecay = Math.Pow(10, -8 + 5 * random.NextDouble()), optimizer = opt, dropout = 0.5 * random.NextDouble() }, web),
                MaxEpochs = epochs, Seed = n, Attempt = 1, Worker = $"bench/cpu/{n % 8}", CreatedAt = now.AddHours(-3).AddSeconds(n),
                StartedAt = now.AddHours(-3).AddSeconds(n + 1), FinishedAt = now.AddHours(-3).AddSeconds(n + 30), UpdatedAt = now,
                EpochCount = trained, BestValue = acc.Max(), BestEpoch = Array.IndexOf(acc, acc.Max()) + 1,
                StopReasonJson = trained < epochs
                    ? JsonSerializer.Serialize(new { rule = "asha", epoch = trained, rung = trained, value = acc[^1], threshold = acc[^1] + 0.02, message = "below the rung's top 1/3", pruned = true }, web)
                    : null,
            }.At(trained < epochs ? TrialStatus.Pruned : TrialStatus.Completed);
            db.Trials.Add(t);
            curves.Add((t.Id, acc, loss));
            if (t.Status == TrialStatus.Completed && (best is null || t.BestValue > best.BestValue)) best = t;
        }
        experiment.BestTrialId = best?.Id;
        experiment.BestValue = best?.BestValue;
        await db.SaveChangesAsync();

        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using (var copy = await conn.BeginBinaryImportAsync(
            "COPY trial_epochs (trial_id, epoch, attempt, train_loss, train_accuracy, val_loss, val_accuracy, lr, seconds, recorded_at) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (trial, acc, loss) in curves)
                for (var e = 0; e < acc.Length; e++)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(trial, NpgsqlTypes.NpgsqlDbType.Uuid);
                    await copy.WriteAsync(e + 1, NpgsqlTypes.NpgsqlDbType.Integer);
                    await copy.WriteAsync(1, NpgsqlTypes.NpgsqlDbType.Integer);
                    await copy.WriteAsync(loss[e], NpgsqlTypes.NpgsqlDbType.Double);
                    await copy.WriteAsync(Math.Min(1, acc[e] + 0.03), NpgsqlTypes.NpgsqlDbType.Double);
                    await copy.WriteAsync(loss[e] + 0.05, NpgsqlTypes.NpgsqlDbType.Double);
                    await copy.WriteAsync(acc[e], NpgsqlTypes.NpgsqlDbType.Double);
                    await copy.WriteAsync(1e-3, NpgsqlTypes.NpgsqlDbType.Double);
                    await copy.WriteAsync(0.5, NpgsqlTypes.NpgsqlDbType.Double);
                    await copy.WriteAsync(now, NpgsqlTypes.NpgsqlDbType.TimestampTz);
                }
            await copy.CompleteAsync();
        }
        return experiment.Id;
    }
}
