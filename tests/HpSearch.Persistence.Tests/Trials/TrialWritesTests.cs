using HpSearch.Domain.Experiments;
using HpSearch.Persistence.Model;
using HpSearch.Persistence.Trials;
using HpSearch.Testing;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Persistence.Tests.Trials;

/// <summary>The fenced writes of a trial run on the real PostgreSQL: every status move is a Lifecycle move, and a write whose
/// attempt is not current, or whose trial is not running, changes nothing.</summary>
public sealed class TrialWritesTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("writes");
        await using var db = MigrationsTests.Open(_database);
        await db.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task<Guid> SeedTrialAsync(TrialStatus status)
    {
        await using var db = MigrationsTests.Open(_database);
        var now = DateTimeOffset.UtcNow;
        var experiment = new Experiment
        {
            Id = Guid.NewGuid(), Name = "writes", SpecJson = "{}", Strategy = "random", Trainer = "builtin", Dataset = "d", Pool = "cpu",
            ObjectiveMetric = "valAccuracy", Maximize = true, MaxTrials = 1, Parallelism = 1, MaxEpochs = 3, CreatedAt = now, UpdatedAt = now,
        }.At(ExperimentStatus.Running);
        var trial = new Trial
        {
            Id = Guid.NewGuid(), ExperimentId = experiment.Id, Number = 0, ParamsJson = "{}", MaxEpochs = 3, CreatedAt = now, UpdatedAt = now,
        }.At(status);
        db.Experiments.Add(experiment);
        db.Trials.Add(trial);
        await db.SaveChangesAsync();
        return trial.Id;
    }

    private async Task<Trial> ReadAsync(Guid id)
    {
        await using var db = MigrationsTests.Open(_database);
        return await db.Trials.AsNoTracking().SingleAsync(t => t.Id == id);
    }

    [Fact]
    public async Task Status_IsStoredAsItsWireName()
    {
        var id = await SeedTrialAsync(TrialStatus.Running);
        await using var db = MigrationsTests.Open(_database);
        var raw = await db.Database.SqlQuery<string>($"SELECT status AS \"Value\" FROM trials WHERE id = {id}").SingleAsync();
        Assert.Equal("running", raw);
        Assert.Equal(1, await db.Trials.CountAsync(t => t.Status == TrialStatus.Running));
    }

    [Fact]
    public async Task StartAttempt_CountsTheDeadAttempt_WhenTheTrialWasLeftRunning()
    {
        var id = await SeedTrialAsync(TrialStatus.Queued);
        await using var db = MigrationsTests.Open(_database);
        Assert.Equal(new AttemptStart(1, 0), await TrialWrites.StartAttemptAsync(db, id, "node/cpu/0", CancellationToken.None));
        Assert.Equal(new AttemptStart(2, 1), await TrialWrites.StartAttemptAsync(db, id, "node/cpu/1", CancellationToken.None));
        var t = await ReadAsync(id);
        Assert.Equal((TrialStatus.Running, 2, 1, "node/cpu/1"), (t.Status, t.Attempt, t.WorkerDeaths, t.Worker));
    }

    [Theory]
    [InlineData(TrialStatus.Completed)]
    [InlineData(TrialStatus.Cancelled)]
    public async Task StartAttempt_ReturnsNull_AndChangesNothing_WhenTheTrialFinished(TrialStatus finished)
    {
        var id = await SeedTrialAsync(finished);
        await using var db = MigrationsTests.Open(_database);
        Assert.Null(await TrialWrites.StartAttemptAsync(db, id, "node/cpu/0", CancellationToken.None));
        var t = await ReadAsync(id);
        Assert.Equal((finished, 0), (t.Status, t.Attempt));
    }

    [Fact]
    public async Task Finish_RefusesAnOutcomeThatIsNotFinished_BeforeAnyWrite()
    {
        var id = await SeedTrialAsync(TrialStatus.Queued);
        await using var db = MigrationsTests.Open(_database);
        var start = await TrialWrites.StartAttemptAsync(db, id, "node/cpu/0", CancellationToken.None);
        await Assert.ThrowsAsync<IllegalMoveException>(() =>
            TrialWrites.FinishAsync(db, id, start!.Attempt, TrialStatus.Queued, null, null, null, 0, CancellationToken.None));
        Assert.Equal(TrialStatus.Running, (await ReadAsync(id)).Status);
    }

    [Fact]
    public async Task Finish_WritesNothing_WhenTheAttemptWasSuperseded()
    {
        var id = await SeedTrialAsync(TrialStatus.Queued);
        await using var db = MigrationsTests.Open(_database);
        var first = await TrialWrites.StartAttemptAsync(db, id, "node/cpu/0", CancellationToken.None);
        await TrialWrites.StartAttemptAsync(db, id, "node/cpu/1", CancellationToken.None);
        Assert.False(await TrialWrites.FinishAsync(db, id, first!.Attempt, TrialStatus.Completed, null, null, null, 0, CancellationToken.None));
        Assert.Null(await TrialWrites.WriteEpochAsync(db, id, first.Attempt, 1, new Dictionary<string, double> { ["valAccuracy"] = 0.5 },
            null, 0.5, 1, 0.5, CancellationToken.None));
        Assert.Equal(TrialStatus.Running, (await ReadAsync(id)).Status);
        Assert.Equal(0, await db.TrialEpochs.CountAsync(e => e.TrialId == id));
        Assert.Equal(0, await db.TrialScores.CountAsync(e => e.TrialId == id));
    }

    [Fact]
    public async Task Finish_WritesNothing_WhenTheTrialWasHandedBackToTheQueue()
    {
        var id = await SeedTrialAsync(TrialStatus.Queued);
        await using var db = MigrationsTests.Open(_database);
        var start = await TrialWrites.StartAttemptAsync(db, id, "node/cpu/0", CancellationToken.None);
        Assert.Equal(1, await TrialWrites.RequeueAsync(db, id, start!.Attempt, CancellationToken.None));
        // The same attempt number, but the trial is queued: the paused run's outcome is not a legal move from there.
        Assert.False(await TrialWrites.FinishAsync(db, id, start.Attempt, TrialStatus.Failed, "late", null, null, 0, CancellationToken.None));
        var t = await ReadAsync(id);
        Assert.Equal((TrialStatus.Queued, (string?)null, (string?)null), (t.Status, t.Error, t.Worker));
    }

    [Fact]
    public async Task Move_RefusesAnIllegalMove_AndLeavesTheRow()
    {
        var id = await SeedTrialAsync(TrialStatus.Completed);
        await using var db = MigrationsTests.Open(_database);
        var e = await Assert.ThrowsAsync<IllegalMoveException>(() =>
            db.Trials.Where(t => t.Id == id).MoveAsync(TrialStatus.Completed, TrialStatus.Running, null, CancellationToken.None));
        Assert.Equal("a trial cannot move from completed to running.", e.Message);
        Assert.Equal(TrialStatus.Completed, (await ReadAsync(id)).Status);
    }

    [Fact]
    public async Task Move_MovesOnlyRowsInTheNamedStates()
    {
        var queued = await SeedTrialAsync(TrialStatus.Queued);
        var done = await SeedTrialAsync(TrialStatus.Pruned);
        await using var db = MigrationsTests.Open(_database);
        var moved = await db.Trials.Where(t => t.Id == queued || t.Id == done)
            .MoveAsync([TrialStatus.Queued, TrialStatus.Running], TrialStatus.Cancelled, null, CancellationToken.None);
        Assert.Equal(1, moved);
        var q = await ReadAsync(queued);
        Assert.Equal(TrialStatus.Cancelled, q.Status);
        Assert.NotNull(q.FinishedAt);
        Assert.Equal(TrialStatus.Pruned, (await ReadAsync(done)).Status);
    }
}
