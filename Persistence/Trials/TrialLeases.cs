using HpSearch.Domain.Experiments;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Persistence.Trials;

/// <summary>
/// Leases of trials that clients train over ask/tell (experiments whose trainer is <c>external</c>). A lease is the trial's
/// <c>updated_at</c> plus the lease length: every fenced write of the attempt (an epoch, a heartbeat) renews it, and the
/// attempt number is the lease's token, checked by the same fencing as worker trials (<see cref="TrialWrites"/>).
/// </summary>
public static class TrialLeases
{
    /// <summary>Claims the lowest-numbered queued trial of an external experiment as a new attempt held by
    /// <paramref name="holder"/>; null when none is queued. Concurrent claims skip each other's row (never the same trial twice).</summary>
    public static async Task<ClaimedTrial?> ClaimAsync(HpSearchDb db, Guid experimentId, string holder, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var ids = await db.Database.SqlQuery<Guid>($"""
                SELECT id AS "Value" FROM trials WHERE experiment_id = {experimentId} AND status = 'queued'
                ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED
                """).ToListAsync(ct);
            if (ids.Count == 0) return null;
            // The same start as a worker's run: attempt + 1, earlier attempts' epochs gone, any later stale write fenced.
            var start = await TrialWrites.StartAttemptAsync(db, ids[0], holder, ct);
            await tx.CommitAsync(ct);
            return start is null ? null : new ClaimedTrial(ids[0], start);
        }, cancellationToken);
    }

    /// <summary>Hands every external trial whose lease ran out back to the queue (all experiments, or one), counting the
    /// silent client as a death of that attempt; its attempt number stays, so its late writes find the trial not running
    /// and the next claim's new attempt fences them for good. Returns what it expired.</summary>
    public static Task<List<ExpiredLease>> ExpireAsync(HpSearchDb db, Guid? experimentId, TimeSpan lease, CancellationToken cancellationToken)
    {
        var seconds = lease.TotalSeconds;
        return db.Database.SqlQuery<ExpiredLease>($"""
            UPDATE trials t SET status = 'queued', worker_deaths = t.worker_deaths + 1, updated_at = now()
            FROM experiments e
            WHERE e.id = t.experiment_id AND e.trainer = 'external' AND t.status = 'running'
              AND ({experimentId}::uuid IS NULL OR t.experiment_id = {experimentId}::uuid)
              AND t.updated_at < now() - make_interval(secs => {seconds})
            RETURNING t.id AS "TrialId", t.experiment_id AS "ExperimentId", t.number AS "Number", t.attempt AS "Attempt", t.worker AS "Holder"
            """).ToListAsync(cancellationToken);
    }

    /// <summary>Renews the lease of <paramref name="attempt"/> (a client's heartbeat); false when the attempt is no longer
    /// the running one.</summary>
    public static async Task<bool> RenewAsync(HpSearchDb db, Guid trialId, int attempt, CancellationToken cancellationToken) =>
        await db.Trials.Where(t => t.Id == trialId && t.Attempt == attempt && t.Status == TrialStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UpdatedAt, DateTimeOffset.UtcNow), cancellationToken) > 0;
}
