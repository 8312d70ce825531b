using HpSearch.Benchmarks.Scale;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence.Experiments;
using HpSearch.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HpSearch.Persistence.Tests.Experiments;

/// <summary>A bulk-loaded experiment of 20,000 trials × 10 epochs shared by the plan tests (seeded once per class).</summary>
public sealed class LargeExperiment : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;
    public Guid ExperimentId { get; private set; }

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("plans");
        ExperimentId = await ScaleSeed.SeedAsync(Database.ConnectionString, 20_000, 10, seed: 11, ExperimentStatus.Running, "plans");
        // A few more experiments for the list.
        for (var i = 0; i < 5; i++) await ScaleSeed.SeedAsync(Database.ConnectionString, 20, 10, seed: i, ExperimentStatus.Completed, $"small-{i}");
    }

    public async Task DisposeAsync() => await Database.DisposeAsync();
}

/// <summary>The hot queries read index ranges on 20,000 trials and 200,000 epoch rows, never a whole table: the plans of the
/// epoch step (store, progress, each rule's figures) and of the read side's list and sorted trials page (decision 0018).</summary>
public sealed class QueryPlansTests(LargeExperiment data) : IClassFixture<LargeExperiment>
{
    private static readonly string[] BigTables = ["trials", "trial_epochs", "trial_scores"];

    private HpSearchDb Open(CommandLog log)
    {
        var options = new DbContextOptionsBuilder<HpSearchDb>();
        PersistenceExtensions.Configure(options, data.Database.ConnectionString);
        options.AddInterceptors(log);
        return new HpSearchDb(options.Options);
    }

    private async Task<string> ExplainAsync(string sql, params NpgsqlParameter[] parameters)
    {
        await using var conn = new NpgsqlConnection(data.Database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("EXPLAIN " + sql, conn);
        cmd.Parameters.AddRange(parameters);
        var lines = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return string.Join('\n', lines);
    }

    private static void AssertNoSeqScanOnBigTables(string plan)
    {
        foreach (var table in BigTables) Assert.DoesNotContain($"Seq Scan on {table}", plan);
        Assert.Contains("Index", plan);
    }

    [Theory]
    [InlineData("""{ "kind": "asha", "minEpochs": 1, "reductionFactor": 3, "patience": 3 }""")]
    [InlineData("""{ "kind": "median", "startupTrials": 5, "warmupEpochs": 0 }""")]
    public async Task EpochStep_ReadsIndexRangesOnly(string stopping)
    {
        var trialId = (await ScaleSeed.AddRunningTrialsAsync(data.Database.ConnectionString, data.ExperimentId, 1, 10))[0];
        var log = new CommandLog();
        await using (var db = Open(log))
        {
            var experiment = await db.Experiments.AsNoTracking().SingleAsync(e => e.Id == data.ExperimentId);
            var stored = ExperimentStore.TryParseSpec(experiment)!;
            var json = System.Text.Json.Nodes.JsonNode.Parse(experiment.SpecJson)!;
            json["earlyStopping"] = System.Text.Json.Nodes.JsonNode.Parse(stopping);
            var spec = ExperimentStore.TryParseSpec(new HpSearch.Persistence.Model.Experiment
            {
                Name = experiment.Name, Strategy = experiment.Strategy, Trainer = experiment.Trainer, Dataset = experiment.Dataset,
                Pool = experiment.Pool, ObjectiveMetric = experiment.ObjectiveMetric,
                SpecJson = json.ToJsonString(),
            })!;
            Assert.NotEqual(stored.EarlyStopping, spec.EarlyStopping);
            log.Commands.Clear();
            await TrialEpochs.RecordAsync(db, spec, data.ExperimentId, trialId, 20_000, 1, true, 1,
                new Dictionary<string, double> { ["valAccuracy"] = 0.99 }, null, 0.99, 1, CancellationToken.None);
        }
        Assert.Equal(3, log.Commands.Count);
        foreach (var (sql, parameters) in log.Commands) AssertNoSeqScanOnBigTables(await ExplainAsync(sql, parameters));
    }

    /// <summary>The answer of each rule at 20,000 trials reads a bounded number of pages (the group's order row, the pivot's
    /// neighbours, the trial's own curve), where main's former count + OFFSET read the whole epoch's index range and, for the
    /// median rule's "others" filter, a heap page per trial (decision 0023).</summary>
    [Theory]
    [InlineData("""{ "kind": "median", "startupTrials": 5, "warmupEpochs": 0 }""", 0)]
    [InlineData("""{ "kind": "asha", "minEpochs": 1, "reductionFactor": 3 }""", 3)]
    public async Task EpochStepAnswer_TouchesBoundedBuffers_WhereTheOffsetWalkTouchedTheWholeEpoch(string stopping, int eta)
    {
        var trialId = (await ScaleSeed.AddRunningTrialsAsync(data.Database.ConnectionString, data.ExperimentId, 1, 10))[0];
        var log = new CommandLog();
        await using (var db = Open(log))
        {
            var spec = WithStopping(await db.Experiments.AsNoTracking().SingleAsync(e => e.Id == data.ExperimentId), stopping);
            // To epoch 3 (a rung of this ASHA): a rule's first ask after the bulk load moves its pivot from where the rebuild left
            // it (the middle); the measured ones below are the steady state.
            for (var epoch = 1; epoch <= 3; epoch++)
            {
                log.Commands.Clear();
                await TrialEpochs.RecordAsync(db, spec, data.ExperimentId, trialId, 20_001, 1, true, epoch,
                    new Dictionary<string, double> { ["valAccuracy"] = 0.99 }, null, 0.99, epoch, CancellationToken.None);
            }
        }
        var (sql, parameters) = log.Commands[^1];
        Assert.Contains(eta == 0 ? "hps_epoch_middle" : "hps_epoch_order", sql);
        await using var conn = new NpgsqlConnection(data.Database.ConnectionString);
        await conn.OpenAsync();
        await BuffersAsync(conn, sql, parameters); // warms this session's catalog caches and plans, as a pooled connection's are
        var answer = await BuffersAsync(conn, sql, parameters);

        const string group = "s.experiment_id = @experiment AND s.stage_key = '' AND s.epoch = 3";
        var formerSql = eta == 0
            ? $"""
                SELECT (SELECT s.running_sum FROM trial_scores s WHERE {group} AND s.trial_id <> @trial ORDER BY s.running_sum OFFSET (c.n - 1) / 2 LIMIT 1),
                    (SELECT s.running_sum FROM trial_scores s WHERE {group} AND s.trial_id <> @trial ORDER BY s.running_sum OFFSET c.n / 2 LIMIT 1)
                FROM (SELECT count(*)::int AS n FROM trial_scores s WHERE {group} AND s.trial_id <> @trial) c
                """
            : $"""
                SELECT (SELECT s.score FROM trial_scores s WHERE {group} ORDER BY s.score DESC OFFSET greatest(1, c.n / 3) - 1 LIMIT 1)
                FROM (SELECT count(*)::int AS n FROM trial_scores s WHERE {group}) c
                """;
        NpgsqlParameter[] formerParameters = [new("experiment", data.ExperimentId), new("trial", trialId)];
        await BuffersAsync(conn, formerSql, formerParameters);
        var former = await BuffersAsync(conn, formerSql, formerParameters);
        Assert.InRange(answer, 1, 60);
        Assert.True(former > 5 * answer, $"main's former query read {former} buffers, the maintained order's {answer}");
    }

    /// <summary>Shared buffers (hit + read) the statement touched, from EXPLAIN (ANALYZE, BUFFERS) of its top node (which counts
    /// what the functions it calls read).</summary>
    private static async Task<int> BuffersAsync(NpgsqlConnection conn, string sql, NpgsqlParameter[] parameters)
    {
        await using var cmd = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, conn);
        cmd.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
        var json = (string)(await cmd.ExecuteScalarAsync())!;
        var plan = System.Text.Json.JsonDocument.Parse(json).RootElement[0].GetProperty("Plan");
        return plan.GetProperty("Shared Hit Blocks").GetInt32() + plan.GetProperty("Shared Read Blocks").GetInt32();
    }

    private static ExperimentSpec WithStopping(HpSearch.Persistence.Model.Experiment experiment, string stopping)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(experiment.SpecJson)!;
        json["earlyStopping"] = System.Text.Json.Nodes.JsonNode.Parse(stopping);
        return ExperimentStore.TryParseSpec(new HpSearch.Persistence.Model.Experiment
        {
            Name = experiment.Name, Strategy = experiment.Strategy, Trainer = experiment.Trainer, Dataset = experiment.Dataset,
            Pool = experiment.Pool, ObjectiveMetric = experiment.ObjectiveMetric, SpecJson = json.ToJsonString(),
        })!;
    }

    [Fact]
    public async Task TrialsPageSortedByValue_ReadsTheExperimentsValueIndex()
    {
        // The API's own query form (Api/Experiments/ExperimentReads.OrderedAsync with TrialOrder "value", maximising).
        var plan = await ExplainAsync("""
            SELECT * FROM trials WHERE experiment_id = @e
            ORDER BY best_value DESC NULLS LAST, number ASC LIMIT 50 OFFSET 100
            """, new NpgsqlParameter("e", data.ExperimentId));
        AssertNoSeqScanOnBigTables(plan);
        Assert.Contains("ix_trials_experiment_value_desc", plan);
    }

    [Fact]
    public async Task ExperimentList_ReadsTheCreatedAtIndex()
    {
        var list = await ExplainAsync("SELECT id, name, status, best_value FROM experiments ORDER BY created_at DESC, id DESC LIMIT 20");
        Assert.DoesNotContain("Seq Scan on trials", list);
    }

    [Fact]
    public async Task CountsOfTheListDetailPageTotalAndImportanceKey_ReadTheCountersRow_NotTheTrials()
    {
        // Persistence's Counters is what the experiment list, one experiment, the live summary, a trials page's total and the
        // importance cache key read (Api: ExperimentQueries, ExperimentReads); before decision 0024 each was an aggregate over trials.
        var log = new CommandLog();
        await using (var db = Open(log))
        {
            var many = await Counters.ReadAsync(db, [data.ExperimentId, Guid.NewGuid()], CancellationToken.None);
            var one = await Counters.ReadAsync(db, data.ExperimentId, CancellationToken.None);
            Assert.Equal(20_000, one.Completed);
            Assert.Equal(20_000, many[data.ExperimentId].Completed);
        }
        Assert.Equal(2, log.Commands.Count);
        foreach (var (sql, parameters) in log.Commands)
        {
            var plan = await ExplainAsync(sql, parameters);
            Assert.Contains("experiment_counters", plan);
            foreach (var table in BigTables) Assert.DoesNotContain($" on {table}", plan);
            Assert.DoesNotContain("Aggregate", plan);
        }
    }
}
