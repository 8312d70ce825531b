using System.Globalization;
using System.Text.Json;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence;
using HpSearch.Persistence.Model;
using HpSearch.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace HpSearch.Benchmarks.Scale;

/// <summary>
/// Bulk-loads one finished experiment of <c>trials</c> trials × <c>epochs</c> epoch rows with binary COPY (trials and epoch
/// rows and the stopping rules' score rows alike), seeded so the same seed always writes the same values. The database is migrated first, so a fresh one will do.
/// Every trial trains every epoch and ends <c>completed</c> (the worst case for curves and for the stopping queries).
/// Ids are UUIDv7 with a time that grows with the trial number, as the controller's <c>Guid.CreateVersion7()</c> gives them.
/// The bulk path (the default) loads in one transaction with triggers off (<c>session_replication_role = replica</c>: no
/// per-row foreign-key checks, no change-feed or counter triggers over millions of transition rows) and, when the load at
/// least doubles the epoch table, without the three tables' secondary indexes, rebuilt after it; then it does what the
/// triggers would have: one recount of the experiment's counters (<c>hpsearch_recount_counters</c>), one rebuild of each of its
/// epochs' order statistics (<c>hps_order_rebuild</c>) and one "re-read this experiment" notification. Needs a superuser connection (as the tests and benches have). <c>bulk: false</c> loads the
/// same rows through the service's triggers and indexes, for comparison.
/// </summary>
public static class ScaleSeed
{
    private static readonly string[] Optimizers = ["sgd", "momentum", "adam"];

    /// <summary>Seeds one completed experiment and returns its id.</summary>
    public static Task<Guid> SeedAsync(string connectionString, int trials, int epochs, int seed) =>
        SeedAsync(connectionString, trials, epochs, seed, ExperimentStatus.Completed, $"scale-{trials}x{epochs}");

    /// <summary>Seeds one experiment in <paramref name="status"/> (its trials all completed) named <paramref name="name"/>.</summary>
    public static async Task<Guid> SeedAsync(string connectionString, int trials, int epochs, int seed, ExperimentStatus status, string name,
        bool bulk = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        var random = new Random(seed);
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        var experimentId = Guid.CreateVersion7(start);

        await using (var db = Open(connectionString))
        {
            await db.MigrateAsync(CancellationToken.None);
            var experiment = new Experiment
            {
                Id = experimentId, Name = name, SpecJson = SpecJson(name, trials, epochs, seed), Strategy = "random",
                Trainer = "builtin", Dataset = "fashion-mnist", Pool = "cpu", ObjectiveMetric = "valAccuracy", Maximize = true,
                MaxTrials = Math.Max(1, trials), Parallelism = 8, MaxEpochs = epochs, CreatedAt = start, StartedAt = start,
                FinishedAt = status.IsFinished() ? start.AddHours(20) : null, UpdatedAt = start.AddHours(20), SamplingDone = status.IsFinished(),
            }.At(status);
            db.Experiments.Add(experiment);
            await db.SaveChangesAsync();
        }

        // A COPY of millions of rows (and the VACUUM after it) outlasts Npgsql's default 30 s command timeout on a busy machine.
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString);
        await conn.OpenAsync();
        var curves = new double[epochs];
        var ids = new Guid[trials];
        var bestValue = double.NegativeInfinity;
        var bestTrial = Guid.Empty;
        await using var tx = await conn.BeginTransactionAsync();
        var rebuild = new List<string>();
        if (bulk)
        {
            await ExecAsync(conn, "SET LOCAL session_replication_role = replica; SET LOCAL maintenance_work_mem = '256MB'");
            if (await ExecScalarAsync(conn, "SELECT count(*) FROM trial_epochs") <= (long)trials * epochs)
                rebuild = await DropSecondaryIndexesAsync(conn);
        }
        // Trials first (the epoch rows reference them), their curves drawn again from the same seed for the epoch rows.
        await using (var copy = await conn.BeginBinaryImportAsync("""
            COPY trials (id, experiment_id, number, status, params_json, max_epochs, seed, attempt, worker, created_at, started_at,
                         finished_at, updated_at, epoch_count, best_value, best_epoch) FROM STDIN (FORMAT BINARY)
            """))
        {
            for (var n = 0; n < trials; n++)
            {
                var created = start.AddMilliseconds(n * 500.0);
                ids[n] = Guid.CreateVersion7(created);
                var (paramsJson, quality) = Draw(random);
                var trialRandom = new Random(HashCode.Combine(seed, n));
                Curve(trialRandom, quality, curves);
                var best = curves.Max();
                if (best > bestValue) (bestValue, bestTrial) = (best, ids[n]);
                copy.StartRow();
                copy.Write(ids[n], NpgsqlDbType.Uuid);
                copy.Write(experimentId, NpgsqlDbType.Uuid);
                copy.Write(n, NpgsqlDbType.Integer);
                copy.Write(TrialStatus.Completed.ToWire(), NpgsqlDbType.Text);
                copy.Write(paramsJson, NpgsqlDbType.Jsonb);
                copy.Write(epochs, NpgsqlDbType.Integer);
                copy.Write(n, NpgsqlDbType.Integer);
                copy.Write(1, NpgsqlDbType.Integer);
                copy.Write($"scale/cpu/{n % 8}", NpgsqlDbType.Text);
                copy.Write(created, NpgsqlDbType.TimestampTz);
                copy.Write(created.AddSeconds(1), NpgsqlDbType.TimestampTz);
                copy.Write(created.AddSeconds(1 + epochs), NpgsqlDbType.TimestampTz);
                copy.Write(created.AddSeconds(1 + epochs), NpgsqlDbType.TimestampTz);
                copy.Write(epochs, NpgsqlDbType.Integer);
                copy.Write(best, NpgsqlDbType.Double);
                copy.Write(Array.IndexOf(curves, best) + 1, NpgsqlDbType.Integer);
            }
            await copy.CompleteAsync();
        }

        random = new Random(seed);
        await using (var copy = await conn.BeginBinaryImportAsync("""
            COPY trial_epochs (trial_id, epoch, attempt, train_loss, train_accuracy, val_loss, val_accuracy, lr, seconds, recorded_at)
            FROM STDIN (FORMAT BINARY)
            """))
        {
            for (var n = 0; n < trials; n++)
            {
                var (_, quality) = Draw(random);
                var trialRandom = new Random(HashCode.Combine(seed, n));
                Curve(trialRandom, quality, curves);
                var recorded = start.AddMilliseconds(n * 500.0).AddSeconds(1);
                for (var e = 0; e < epochs; e++)
                {
                    var loss = 2.3 * (1 - curves[e]) + 0.1 * trialRandom.NextDouble();
                    copy.StartRow();
                    copy.Write(ids[n], NpgsqlDbType.Uuid);
                    copy.Write(e + 1, NpgsqlDbType.Integer);
                    copy.Write(1, NpgsqlDbType.Integer);
                    copy.Write(loss, NpgsqlDbType.Double);
                    copy.Write(Math.Min(1, curves[e] + 0.03), NpgsqlDbType.Double);
                    copy.Write(loss + 0.05, NpgsqlDbType.Double);
                    copy.Write(curves[e], NpgsqlDbType.Double);
                    copy.Write(1e-3, NpgsqlDbType.Double);
                    copy.Write(0.5, NpgsqlDbType.Double);
                    copy.Write(recorded.AddSeconds(e + 1), NpgsqlDbType.TimestampTz);
                }
            }
            await copy.CompleteAsync();
        }

        // The stopping rules' scores (valAccuracy, maximized: the score is the value) and their running sums, as
        // TrialWrites.WriteEpochAsync keeps them.
        random = new Random(seed);
        await using (var copy = await conn.BeginBinaryImportAsync(
            "COPY trial_scores (trial_id, epoch, experiment_id, stage_key, score, running_sum) FROM STDIN (FORMAT BINARY)"))
        {
            for (var n = 0; n < trials; n++)
            {
                var (_, quality) = Draw(random);
                Curve(new Random(HashCode.Combine(seed, n)), quality, curves);
                double sum = 0;
                for (var e = 0; e < epochs; e++)
                {
                    sum += curves[e];
                    copy.StartRow();
                    copy.Write(ids[n], NpgsqlDbType.Uuid);
                    copy.Write(e + 1, NpgsqlDbType.Integer);
                    copy.Write(experimentId, NpgsqlDbType.Uuid);
                    copy.Write("", NpgsqlDbType.Text);
                    copy.Write(curves[e], NpgsqlDbType.Double);
                    copy.Write(sum, NpgsqlDbType.Double);
                }
            }
            await copy.CompleteAsync();
        }

        if (bulk)
        {
            foreach (var create in rebuild) await ExecAsync(conn, create);
            // What the counter, order-statistic and change-feed triggers would have done for these statements (decisions 0024,
            // 0023 and 0019).
            await ExecAsync(conn, $"SELECT hpsearch_recount_counters('{experimentId}')");
            await ExecAsync(conn, $"""
                SELECT hps_order_rebuild(g.experiment_id, g.stage_key, g.epoch)
                FROM (SELECT DISTINCT experiment_id, stage_key, epoch FROM trial_scores WHERE experiment_id = '{experimentId}' ORDER BY 1, 2, 3) g
                """);
            await ExecAsync(conn, $$"""SELECT pg_notify('hpsearch_changes', json_build_object('k', 'r', 'e', '{{experimentId}}'::uuid)::text)""");
        }
        await using (var cmd = new NpgsqlCommand("UPDATE experiments SET best_trial_id = @t, best_value = @v WHERE id = @e", conn))
        {
            cmd.Parameters.AddWithValue("t", trials == 0 ? DBNull.Value : bestTrial);
            cmd.Parameters.AddWithValue("v", trials == 0 ? DBNull.Value : bestValue);
            cmd.Parameters.AddWithValue("e", experimentId);
            await cmd.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
        // As autovacuum would leave them: statistics for the planner, and the visibility map set for index-only scans.
        foreach (var table in new[] { "experiments", "trials", "trial_epochs", "trial_scores" })
        {
            await using var vacuum = new NpgsqlCommand($"VACUUM (ANALYZE) {table}", conn);
            await vacuum.ExecuteNonQueryAsync();
        }
        return experimentId;
    }

    /// <summary>Adds <paramref name="count"/> queued-then-running trials (attempt 1, no epochs yet) after the seeded ones, for a
    /// benchmark or test that writes epochs through the service's own path; returns their ids.</summary>
    public static async Task<Guid[]> AddRunningTrialsAsync(string connectionString, Guid experimentId, int count, int epochs)
    {
        await using var db = Open(connectionString);
        var next = await db.Trials.Where(t => t.ExperimentId == experimentId).Select(t => (int?)t.Number).MaxAsync() + 1 ?? 0;
        var now = DateTimeOffset.UtcNow;
        var added = Enumerable.Range(next, count).Select(n => new Trial
        {
            Id = Guid.CreateVersion7(), ExperimentId = experimentId, Number = n, ParamsJson = """{"lr": 0.001}""", MaxEpochs = epochs,
            Seed = n, Attempt = 1, Worker = "scale/cpu/0", CreatedAt = now, StartedAt = now, UpdatedAt = now,
        }.At(TrialStatus.Running)).ToList();
        db.Trials.AddRange(added);
        await db.SaveChangesAsync();
        return added.Select(t => t.Id).ToArray();
    }

    /// <summary>Drops the secondary indexes of the three loaded tables (those that back no constraint) and returns the
    /// statements that rebuild them as they were.</summary>
    private static async Task<List<string>> DropSecondaryIndexesAsync(NpgsqlConnection conn)
    {
        var indexes = new List<(string Name, string Create)>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT i.relname, pg_get_indexdef(x.indexrelid)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relnamespace = 'public'::regnamespace AND t.relname IN ('trials', 'trial_epochs', 'trial_scores')
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            """, conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) indexes.Add((reader.GetString(0), reader.GetString(1)));
        foreach (var (name, _) in indexes) await ExecAsync(conn, $"DROP INDEX \"{name}\"");
        return indexes.Select(i => i.Create).ToList();
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<long> ExecScalarAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    internal static HpSearchDb Open(string connectionString)
    {
        var options = new DbContextOptionsBuilder<HpSearchDb>();
        PersistenceExtensions.Configure(options, connectionString);
        return new HpSearchDb(options.Options);
    }

    /// <summary>One trial's parameters (as stored) and how good they are (0..1, best at lr ≈ 10^-2.5 with Adam).</summary>
    private static (string ParamsJson, double Quality) Draw(Random random)
    {
        var lr = Math.Pow(10, -5 + 4 * random.NextDouble());
        var weightDecay = Math.Pow(10, -8 + 5 * random.NextDouble());
        var optimizer = Optimizers[random.Next(Optimizers.Length)];
        var dropout = 0.5 * random.NextDouble();
        var quality = Math.Exp(-Math.Pow(Math.Log10(lr) + 2.5, 2) / 2) * (optimizer == "adam" ? 1 : 0.88) * (1 - 0.2 * dropout);
        var json = string.Create(CultureInfo.InvariantCulture,
            $$"""{"lr": {{lr:R}}, "weightDecay": {{weightDecay:R}}, "optimizer": "{{optimizer}}", "dropout": {{dropout:R}}}""");
        return (json, quality);
    }

    /// <summary>A rising validation-accuracy curve that levels off at a height set by <paramref name="quality"/>.</summary>
    private static void Curve(Random random, double quality, double[] into)
    {
        for (var e = 0; e < into.Length; e++)
            into[e] = 0.1 + 0.8 * quality * (1 - Math.Exp(-(e + 1) / 4.0)) + 0.01 * random.NextDouble();
    }

    private static string SpecJson(string name, int trials, int epochs, int seed) => JsonSerializer.Serialize(new
    {
        name, trainer = "builtin", dataset = "fashion-mnist",
        @params = new { model = "mlp", hidden = new[] { 256, 256 }, epochs },
        searchSpace = new Dictionary<string, object>
        {
            ["lr"] = new { type = "logUniform", low = 1e-5, high = 1e-1 },
            ["weightDecay"] = new { type = "logUniform", low = 1e-8, high = 1e-3 },
            ["optimizer"] = new { type = "categorical", values = Optimizers },
            ["dropout"] = new { type = "uniform", low = 0.0, high = 0.5 },
        },
        objective = new { metric = "valAccuracy", direction = "maximize" },
        strategy = new { kind = "random", seed },
        budget = new { maxTrials = Math.Max(1, trials), maxEpochs = epochs, parallelism = 8 },
        earlyStopping = new { kind = "asha", minEpochs = 1, reductionFactor = 3 },
    }, new JsonSerializerOptions(JsonSerializerDefaults.Web));
}
