using HpSearch.Benchmarks.Scale;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence.Experiments;
using HpSearch.Persistence.Model;
using HpSearch.Persistence.Trials;
using HpSearch.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HpSearch.Persistence.Tests.Model;

/// <summary>The trigger-kept counters (decision 0024) on the real PostgreSQL: after every write the service makes — inserts,
/// attempts, epochs, outcomes, requeues, cancels, retries and resumes, lease expiry, deletes — each experiment's row equals a
/// recount of its trials, also under two connections writing the same experiment at once.</summary>
public sealed class ExperimentCountersTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("counters");
        await using var db = MigrationsTests.Open(_database);
        await db.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    /// <summary>Every figure of a counters row, comparable as one value.</summary>
    internal sealed record Figures(int Queued, int Running, int Completed, int Pruned, int Diverged, int Failed, int Cancelled,
        int EpochsTrained, int EpochsSaved, decimal FinishedAtSum)
    {
        public static Figures Of(ExperimentCounters c) => new(c.Queued, c.Running, c.Completed, c.Pruned, c.Diverged, c.Failed, c.Cancelled,
            c.EpochsTrained, c.EpochsSaved, c.FinishedAtSum);

        /// <summary>From scratch, in C#: the aggregate the experiment summary computed over every trial before the counters.</summary>
        public static Figures Recount(IReadOnlyCollection<Trial> trials)
        {
            int N(TrialStatus s) => trials.Count(t => t.Status == s);
            bool Used(Trial t) => t.Status is TrialStatus.Completed or TrialStatus.Pruned;
            return new(N(TrialStatus.Queued), N(TrialStatus.Running), N(TrialStatus.Completed), N(TrialStatus.Pruned), N(TrialStatus.Diverged),
                N(TrialStatus.Failed), N(TrialStatus.Cancelled), trials.Sum(t => t.EpochCount),
                trials.Sum(t => t.StopReasonJson != null && Used(t) && t.MaxEpochs > t.EpochCount ? t.MaxEpochs - t.EpochCount : 0),
                trials.Where(t => Used(t) && t.FinishedAt is not null)
                    .Sum(t => (t.FinishedAt!.Value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10m));
        }
    }

    /// <summary>Asserts each experiment's counters equal a recount of its trials, and no counters outlive their experiment.</summary>
    internal static async Task AssertCountersMatchRecountAsync(string connectionString, string after)
    {
        await using var db = ScaleSeed.Open(connectionString);
        var trials = await db.Trials.AsNoTracking().ToListAsync();
        var experiments = await db.Experiments.AsNoTracking().Select(e => e.Id).ToListAsync();
        var stored = await Counters.ReadAsync(db, experiments, CancellationToken.None);
        foreach (var id in experiments)
        {
            var expected = Figures.Recount(trials.Where(t => t.ExperimentId == id).ToList());
            var actual = Figures.Of(stored.GetValueOrDefault(id) ?? ExperimentCounters.None(id));
            Assert.True(expected == actual, $"after {after}, experiment {id}: recount {expected}, counters {actual}");
        }
        var orphans = await db.ExperimentCounters.AsNoTracking().CountAsync(c => !db.Experiments.Any(e => e.Id == c.ExperimentId));
        Assert.Equal(0, orphans);
    }

    private static Experiment NewExperiment(string trainer) => new Experiment
    {
        Id = Guid.CreateVersion7(), Name = $"counters-{trainer}", SpecJson = "{}", Strategy = "random", Trainer = trainer, Dataset = "d",
        Pool = "cpu", ObjectiveMetric = "valAccuracy", Maximize = true, MaxTrials = 1000, Parallelism = 4, MaxEpochs = 6,
        CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
    }.At(ExperimentStatus.Running);

    [Fact]
    public async Task Counters_EqualARecount_AfterEverySeededWriteOfTheService()
    {
        var random = new Random(20261201);
        var experiments = new[] { NewExperiment("builtin"), NewExperiment("external"), NewExperiment("external") };
        var next = new Dictionary<Guid, int>();
        await using (var db = MigrationsTests.Open(_database))
        {
            db.Experiments.AddRange(experiments);
            await db.SaveChangesAsync();
        }
        foreach (var e in experiments) next[e.Id] = 0;
        await AssertCountersMatchRecountAsync(_database.ConnectionString, "no trials");

        var ct = CancellationToken.None;
        var done = new Dictionary<string, int>();
        void Done(string kind) => done[kind] = done.GetValueOrDefault(kind) + 1;
        for (var step = 0; step < 240; step++)
        {
            var experiment = experiments[random.Next(experiments.Length)];
            await using var db = MigrationsTests.Open(_database);
            var trials = await db.Trials.AsNoTracking().Where(t => t.ExperimentId == experiment.Id).OrderBy(t => t.Number).ToListAsync();
            Trial? Pick(params TrialStatus[] statuses)
            {
                var found = trials.Where(t => statuses.Contains(t.Status)).ToList();
                return found.Count == 0 ? null : found[random.Next(found.Count)];
            }
            var op = step < 6 ? 0 : random.Next(12);
            string what;
            switch (op)
            {
                case 0: // the controller's insert: a few trials, or more than the change feed's 64 (one grouped pass)
                {
                    var count = random.Next(10) == 0 ? 70 : random.Next(1, 4);
                    var now = DateTimeOffset.UtcNow;
                    db.Trials.AddRange(Enumerable.Range(0, count).Select(_ => new Trial
                    {
                        Id = Guid.CreateVersion7(), ExperimentId = experiment.Id, Number = next[experiment.Id]++, ParamsJson = "{}",
                        MaxEpochs = random.Next(2, 7), CreatedAt = now, UpdatedAt = now,
                    }));
                    await db.SaveChangesAsync();
                    what = $"insert of {count}";
                    Done(count > 64 ? "bulk insert" : "insert");
                    break;
                }
                case 1 or 2: // an attempt starts (a trial left running is a dead attempt: its epochs go)
                {
                    var t = Pick(TrialStatus.Queued, TrialStatus.Running);
                    what = $"start of {t?.Number}";
                    if (t is not null)
                    {
                        Assert.NotNull(await TrialWrites.StartAttemptAsync(db, t.Id, "node-a/cpu/0", ct));
                        Done(t.Status == TrialStatus.Running && t.EpochCount > 0 ? "re-run deleting epochs" : "start");
                    }
                    break;
                }
                case 3 or 4 or 5: // an epoch
                {
                    var t = Pick(TrialStatus.Running);
                    what = $"epoch of {t?.Number}";
                    if (t is not null && t.EpochCount < t.MaxEpochs)
                    {
                        var value = random.NextDouble();
                        Assert.NotNull(await TrialWrites.WriteEpochAsync(db, t.Id, t.Attempt, t.EpochCount + 1,
                            new Dictionary<string, double> { ["valAccuracy"] = value }, null, value, t.EpochCount + 1, value, ct));
                        Done("epoch");
                    }
                    break;
                }
                case 6: // an outcome, with a stop reason (pruned, or completed by patience) or without
                {
                    var t = Pick(TrialStatus.Running);
                    var outcome = new[] { TrialStatus.Completed, TrialStatus.Pruned, TrialStatus.Diverged, TrialStatus.Failed }[random.Next(4)];
                    var reason = random.Next(2) == 0 ? null : """{"rule": "asha"}""";
                    what = $"{outcome} of {t?.Number}";
                    if (t is not null)
                    {
                        Assert.True(await TrialWrites.FinishAsync(db, t.Id, t.Attempt, outcome, null, reason, null, 0, ct));
                        Done(reason is not null && outcome is TrialStatus.Completed or TrialStatus.Pruned && t.EpochCount < t.MaxEpochs ? "epochs saved" : "outcome");
                    }
                    break;
                }
                case 7: // a clean stop hands the attempt back
                {
                    var t = Pick(TrialStatus.Running);
                    what = $"requeue of {t?.Number}";
                    if (t is not null)
                    {
                        Assert.Equal(1, await TrialWrites.RequeueAsync(db, t.Id, t.Attempt, ct));
                        Done("requeue");
                    }
                    break;
                }
                case 8: // the controller cancels the queued trials (one set-based statement)
                    what = "cancel of the queued";
                    if (await db.Trials.Where(t => t.ExperimentId == experiment.Id).MoveAsync(TrialStatus.Queued, TrialStatus.Cancelled, null, ct) > 0)
                        Done("cancel");
                    break;
                case 9: // retry failed trials of the running experiment, or resume a cancelled one (cancelled and failed re-queued)
                {
                    var resume = random.Next(2) == 0;
                    if (resume)
                        await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE experiments SET status = 'cancelled' WHERE id = {experiment.Id}", ct);
                    var seen = resume ? ExperimentStatus.Cancelled : ExperimentStatus.Running;
                    var requeued = await ExperimentReopening.ApplyAsync(db, experiment.Id, seen, new Reopening(RetryFailed: true), DateTimeOffset.UtcNow, ct);
                    Assert.NotNull(requeued);
                    what = resume ? "resume" : "retry";
                    if (requeued > 0) Done(what);
                    break;
                }
                case 10: // a deleted trial (its epochs and scores cascade)
                {
                    var t = trials.Count == 0 ? null : trials[random.Next(trials.Count)];
                    what = $"delete of {t?.Number}";
                    if (t is not null)
                    {
                        await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM trials WHERE id = {t.Id}", ct);
                        Done("delete");
                    }
                    break;
                }
                default: // across experiments in one statement: expired leases of external trials; a write that changes no figure
                    if ((await TrialLeases.ExpireAsync(db, null, TimeSpan.Zero, ct)).Count > 0) Done("lease expiry");
                    await db.Database.ExecuteSqlRawAsync("UPDATE trials SET updated_at = now(), summary_json = '{{}}'", ct);
                    what = "lease expiry and a touch of every trial";
                    break;
            }
            await AssertCountersMatchRecountAsync(_database.ConnectionString, $"step {step}: {what}");
        }

        await using (var db = MigrationsTests.Open(_database))
        {
            // The seeded mix took every path that moves a figure (so the comparisons above covered them).
            string[] kinds = ["insert", "bulk insert", "start", "re-run deleting epochs", "epoch", "outcome", "epochs saved", "requeue", "cancel",
                "retry", "resume", "delete", "lease expiry"];
            Assert.All(kinds, k => Assert.True(done.GetValueOrDefault(k) > 0, $"the seeded mix never did: {k} ({string.Join(", ", done)})"));
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM experiments WHERE id = {experiments[0].Id}", ct);
            Assert.False(await db.ExperimentCounters.AnyAsync(c => c.ExperimentId == experiments[0].Id));
        }
        await AssertCountersMatchRecountAsync(_database.ConnectionString, "the delete of an experiment");
    }

    [Fact]
    public async Task Counters_LoseNoUpdate_WhenTwoConnectionsWriteOneExperimentAtOnce()
    {
        var experiment = NewExperiment("builtin");
        var now = DateTimeOffset.UtcNow;
        var trials = Enumerable.Range(0, 40).Select(n => new Trial
        {
            Id = Guid.CreateVersion7(), ExperimentId = experiment.Id, Number = n, ParamsJson = "{}", MaxEpochs = 1000, Attempt = 1,
            CreatedAt = now, UpdatedAt = now,
        }.At(TrialStatus.Running)).ToList();
        await using (var db = MigrationsTests.Open(_database))
        {
            db.Experiments.Add(experiment);
            db.Trials.AddRange(trials);
            await db.SaveChangesAsync();
        }

        // Two "nodes", each with its own connection and its own half of the trials: transactions of one or two statements
        // (an epoch; sometimes an outcome, or a re-run of another trial), some rolled back, all racing for the same row.
        async Task<int> WriterAsync(int node)
        {
            var random = new Random(node);
            var mine = trials.Where(t => t.Number % 2 == node).Select(t => t.Id).ToArray();
            var committedEpochs = 0;
            await using var conn = new NpgsqlConnection(_database.ConnectionString);
            await conn.OpenAsync();
            for (var i = 0; i < 150; i++)
            {
                await using var tx = await conn.BeginTransactionAsync();
                await using (var epoch = new NpgsqlCommand("UPDATE trials SET epoch_count = epoch_count + 1 WHERE id = @id", conn, tx))
                {
                    epoch.Parameters.AddWithValue("id", mine[random.Next(mine.Length)]);
                    await epoch.ExecuteNonQueryAsync();
                }
                if (random.Next(4) == 0)
                {
                    await using var move = new NpgsqlCommand("""
                        UPDATE trials SET status = CASE WHEN status = 'running' THEN 'completed' ELSE 'running' END,
                            finished_at = CASE WHEN status = 'running' THEN now() END
                        WHERE id = @id
                        """, conn, tx);
                    move.Parameters.AddWithValue("id", mine[random.Next(mine.Length)]);
                    await move.ExecuteNonQueryAsync();
                }
                if (random.Next(5) == 0) await tx.RollbackAsync();
                else
                {
                    await tx.CommitAsync();
                    committedEpochs++;
                }
            }
            return committedEpochs;
        }

        var committed = await Task.WhenAll(Task.Run(() => WriterAsync(0)), Task.Run(() => WriterAsync(1)));
        await AssertCountersMatchRecountAsync(_database.ConnectionString, "two concurrent writers");
        await using var check = MigrationsTests.Open(_database);
        Assert.Equal(committed.Sum(), (await Counters.ReadAsync(check, experiment.Id, CancellationToken.None)).EpochsTrained);
    }

    [Fact]
    public async Task RecountFunction_RepairsCountersThatWereWrittenAround()
    {
        var experiment = NewExperiment("builtin");
        await using var db = MigrationsTests.Open(_database);
        db.Experiments.Add(experiment);
        db.Trials.AddRange(Enumerable.Range(0, 5).Select(n => new Trial
        {
            Id = Guid.CreateVersion7(), ExperimentId = experiment.Id, Number = n, ParamsJson = "{}", MaxEpochs = 3, EpochCount = n % 4,
            CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow, FinishedAt = DateTimeOffset.UtcNow,
        }.At(n % 2 == 0 ? TrialStatus.Completed : TrialStatus.Failed)));
        await db.SaveChangesAsync();
        await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE experiment_counters SET completed = 99, epochs_trained = -1 WHERE experiment_id = {experiment.Id}");

        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT hpsearch_recount_counters({experiment.Id})");

        await AssertCountersMatchRecountAsync(_database.ConnectionString, "a recount");
        Assert.Equal(3, (await Counters.ReadAsync(db, experiment.Id, CancellationToken.None)).Completed);
    }
}
