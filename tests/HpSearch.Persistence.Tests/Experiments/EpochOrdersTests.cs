using HpSearch.Benchmarks.Scale;
using HpSearch.Domain.EarlyStopping;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence.Experiments;
using HpSearch.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HpSearch.Persistence.Tests.Experiments;

/// <summary>The order statistics of <c>epoch_orders</c>, kept by the triggers on <c>trial_scores</c> and moved by askers, always
/// equal a recount from the score rows, and the answers read from them equal the whole-range count and OFFSET they replaced
/// (decision 0023): under seeded inserts, in-place upserts, a re-run's cascade delete, ties, −∞, and two writers at once.</summary>
public sealed class EpochOrdersTests : IAsyncLifetime
{
    private static readonly double[] Values = [0.25, 0.5, 0.5, 0.75, 1.0, double.NegativeInfinity]; // ties and −∞ on purpose
    private TestDatabase _database = null!;
    private Guid _experiment;
    private Guid[] _trials = [];

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("orders");
        _experiment = await ScaleSeed.SeedAsync(_database.ConnectionString, 0, 4, seed: 1, ExperimentStatus.Running, "orders");
        _trials = await ScaleSeed.AddRunningTrialsAsync(_database.ConnectionString, _experiment, 40, 4);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Orders_EqualARecount_AndAnswersEqualTheOffsetQuery_UnderSeededInsertsUpsertsAndReRuns()
    {
        var random = new Random(23);
        await using var conn = await OpenAsync();
        var asked = 0;
        for (var step = 0; step < 1500; step++)
        {
            var trial = _trials[random.Next(_trials.Length)];
            var roll = random.NextDouble();
            if (roll < 0.05) await ExecAsync(conn, "DELETE FROM trial_epochs WHERE trial_id = @t", ("t", trial)); // a re-run's start
            else if (roll < 0.08) await ExecAsync(conn, "DELETE FROM trial_epochs WHERE trial_id = @t AND epoch = @e", ("t", trial), ("e", random.Next(1, 5)));
            else await WriteEpochAsync(conn, trial, random.Next(1, 5), random); // a new epoch, or an upsert of a written one
            if (step % 5 == 0 && await AnyScoreAsync(conn, random) is { } row)
            {
                await AssertAnswersEqualTheOffsetQueryAsync(row.Trial, row.Stage, row.Epoch, random.Next(0, 4));
                asked++;
            }
            if (step % 100 == 0) await AssertOrdersEqualARecountAsync(conn);
        }
        await AssertOrdersEqualARecountAsync(conn);
        Assert.True(asked > 200);
    }

    [Fact]
    public async Task Orders_EqualARecount_AfterTwoConnectionsWriteAndAskTheSameEpochsAtOnce()
    {
        async Task WriterAsync(int seed, Guid[] trials)
        {
            var random = new Random(seed);
            await using var conn = await OpenAsync();
            for (var i = 0; i < 300; i++)
            {
                var trial = trials[random.Next(trials.Length)];
                if (random.NextDouble() < 0.05) await ExecAsync(conn, "DELETE FROM trial_epochs WHERE trial_id = @t", ("t", trial));
                else await WriteEpochAsync(conn, trial, random.Next(1, 3), random);
                if (i % 3 == 0) await ExecAsync(conn, "SELECT * FROM hps_epoch_order(@x, '', @e, @eta)", ("x", _experiment), ("e", random.Next(1, 3)),
                    ("eta", random.Next(1, 4)));
            }
        }

        // Two writers on disjoint trials (as two nodes run different trials) whose epochs meet in the same (stage, epoch) groups.
        await Task.WhenAll(Task.Run(() => WriterAsync(5, _trials[..20])), Task.Run(() => WriterAsync(6, _trials[20..])));
        await using var check = await OpenAsync();
        await AssertOrdersEqualARecountAsync(check);
        Assert.True(await ScalarAsync<long>(check, "SELECT count(*) FROM trial_scores") > 20);
    }

    [Fact]
    public void MiddleOfOthers_LeavesOutTheAskingKey_BelowAtOrAboveTheMiddle()
    {
        Guid G(int i) => new($"00000000-0000-0000-0000-{i:D12}");
        // All five keys ascending: 1, 2, 3, 4, 5 (ranks 0..4); the window is ranks 1..3 around the middle rank 2.
        OrderKey[] window = [new(1, 2, G(2)), new(2, 3, G(3)), new(3, 4, G(4))];
        Assert.Equal((4, 3.0, 4.0), OrderWindow.MiddleOfOthers(5, window, new OrderKey(-1, 1, G(1)))); // others 2 3 4 5
        Assert.Equal((4, 2.0, 4.0), OrderWindow.MiddleOfOthers(5, window, new OrderKey(-1, 3, G(3)))); // others 1 2 4 5
        Assert.Equal((4, 2.0, 3.0), OrderWindow.MiddleOfOthers(5, window, new OrderKey(-1, 5, G(5)))); // others 1 2 3 4
        Assert.Equal((0, double.NegativeInfinity, double.NegativeInfinity), OrderWindow.MiddleOfOthers(1, [new(0, 7, G(7))], new OrderKey(-1, 7, G(7))));
    }

    /// <summary>The answers <see cref="EpochPeers.AskAsync"/> reads from the maintained orders, against main's former query: a count
    /// and an OFFSET along the whole range of that epoch (ASHA: the k-th best, itself included; median: the middle of the others).</summary>
    private async Task AssertAnswersEqualTheOffsetQueryAsync(Guid trial, string stage, int epoch, int kind)
    {
        var question = kind == 0 ? new PeerQuestion(PeerStatistic.MedianOfRunningMeans, epoch) : new PeerQuestion(PeerStatistic.RungThreshold, epoch, kind + 1);
        await using var db = Open();
        var (_, answer) = await EpochPeers.AskAsync(db, _experiment, stage, trial, question, CancellationToken.None);
        await using var conn = await OpenAsync();
        const string group = "experiment_id = @x AND stage_key = @s AND epoch = @e";
        PeerAnswer expected;
        if (kind == 0)
        {
            var n = (int)await ScalarAsync<long>(conn, $"SELECT count(*) FROM trial_scores WHERE {group} AND trial_id <> @t", ("x", _experiment), ("s", stage), ("e", epoch), ("t", trial));
            var first = n == 0 ? double.NegativeInfinity : await ScalarAsync<double>(conn,
                $"SELECT running_sum FROM trial_scores WHERE {group} AND trial_id <> @t ORDER BY running_sum OFFSET @o LIMIT 1",
                ("x", _experiment), ("s", stage), ("e", epoch), ("t", trial), ("o", (n - 1) / 2));
            var second = n == 0 ? double.NegativeInfinity : await ScalarAsync<double>(conn,
                $"SELECT running_sum FROM trial_scores WHERE {group} AND trial_id <> @t ORDER BY running_sum OFFSET @o LIMIT 1",
                ("x", _experiment), ("s", stage), ("e", epoch), ("t", trial), ("o", n / 2));
            expected = new PeerAnswer(n, first / epoch, second / epoch);
        }
        else
        {
            var n = (int)await ScalarAsync<long>(conn, $"SELECT count(*) FROM trial_scores WHERE {group}", ("x", _experiment), ("s", stage), ("e", epoch));
            var kth = await ScalarAsync<double>(conn, $"SELECT score FROM trial_scores WHERE {group} ORDER BY score DESC OFFSET @o LIMIT 1",
                ("x", _experiment), ("s", stage), ("e", epoch), ("o", Math.Max(1, n / (kind + 1)) - 1));
            expected = new PeerAnswer(n, kth, kth);
        }
        Assert.Equal(expected, answer);
    }

    /// <summary>Every group's count, and each pivot present once with exactly its rank of keys below it (the running-sum pivot at
    /// the lower middle), recounted from trial_scores; and no group of scores without its row.</summary>
    internal static async Task AssertOrdersEqualARecountAsync(NpgsqlConnection conn)
    {
        var wrong = new List<string>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT format('%s/%s n=%s count=%s score_below=%s recount=%s (%s) sum_below=%s recount=%s (%s)', o.stage_key, o.epoch, o.n, c.n,
                o.score_below, c.sb, c.se, o.sum_below, c.mb, c.me)
            FROM epoch_orders o CROSS JOIN LATERAL (SELECT count(*) AS n,
                count(*) FILTER (WHERE (s.score, s.trial_id) < (o.score_value, o.score_trial)) AS sb,
                count(*) FILTER (WHERE (s.score, s.trial_id) = (o.score_value, o.score_trial)) AS se,
                count(*) FILTER (WHERE (s.running_sum, s.trial_id) < (o.sum_value, o.sum_trial)) AS mb,
                count(*) FILTER (WHERE (s.running_sum, s.trial_id) = (o.sum_value, o.sum_trial)) AS me
                FROM trial_scores s WHERE s.experiment_id = o.experiment_id AND s.stage_key = o.stage_key AND s.epoch = o.epoch) c
            WHERE o.n <> c.n OR (c.n > 0 AND (o.score_below <> c.sb OR c.se <> 1 OR o.sum_below <> c.mb OR c.me <> 1
                                              OR o.sum_below <> (c.n - 1) / 2))
               OR (c.n = 0 AND (o.score_trial IS NOT NULL OR o.sum_trial IS NOT NULL))
            UNION ALL
            SELECT format('no row for %s/%s', g.stage_key, g.epoch) FROM (SELECT DISTINCT experiment_id, stage_key, epoch FROM trial_scores) g
            WHERE NOT EXISTS (SELECT 1 FROM epoch_orders o WHERE (o.experiment_id, o.stage_key, o.epoch) = (g.experiment_id, g.stage_key, g.epoch))
            """, conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) wrong.Add(reader.GetString(0));
        Assert.Empty(wrong);
    }

    /// <summary>Writes (or rewrites) one epoch of <paramref name="trial"/> as TrialWrites does: the epoch row, then its score row with
    /// the running sum on the previous epoch's; a third of the trials in stage "refine".</summary>
    private static async Task WriteEpochAsync(NpgsqlConnection conn, Guid trial, int epoch, Random random)
    {
        var score = Values[random.Next(Values.Length)];
        await ExecAsync(conn, """
            WITH ep AS (
                INSERT INTO trial_epochs (trial_id, epoch, attempt, recorded_at) VALUES (@t, @e, 1, now())
                ON CONFLICT (trial_id, epoch) DO UPDATE SET recorded_at = excluded.recorded_at RETURNING trial_id)
            INSERT INTO trial_scores (trial_id, epoch, experiment_id, stage_key, score, running_sum)
            SELECT ep.trial_id, @e, t.experiment_id, CASE WHEN t.number % 3 = 0 THEN 'refine' ELSE '' END, @v,
                @v + coalesce((SELECT p.running_sum FROM trial_scores p WHERE p.trial_id = @t AND p.epoch = @e - 1), 0)
            FROM ep JOIN trials t ON t.id = ep.trial_id
            ON CONFLICT (trial_id, epoch) DO UPDATE SET score = excluded.score, running_sum = excluded.running_sum
            """, ("t", trial), ("e", epoch), ("v", score));
    }

    private async Task<(Guid Trial, string Stage, int Epoch)?> AnyScoreAsync(NpgsqlConnection conn, Random random)
    {
        var count = await ScalarAsync<long>(conn, "SELECT count(*) FROM trial_scores");
        if (count == 0) return null;
        await using var cmd = new NpgsqlCommand("SELECT trial_id, stage_key, epoch FROM trial_scores ORDER BY trial_id, epoch OFFSET @o LIMIT 1", conn);
        cmd.Parameters.AddWithValue("o", random.NextInt64(count));
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2));
    }

    private HpSearchDb Open()
    {
        var options = new DbContextOptionsBuilder<HpSearchDb>();
        PersistenceExtensions.Configure(options, _database.ConnectionString);
        return new HpSearchDb(options.Options);
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var conn = new NpgsqlConnection(_database.ConnectionString);
        await conn.OpenAsync();
        return conn;
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
