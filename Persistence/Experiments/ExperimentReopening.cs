using HpSearch.Domain.Experiments;
using HpSearch.Persistence.Model;
using HpSearch.Persistence.Trials;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Persistence.Experiments;

/// <summary>What a reopening asks for: run the cancelled trials again (every reopening of a finished experiment does),
/// also the failed ones (a retry), and a raised trial budget (an extension).</summary>
public sealed record Reopening(bool RetryFailed, int? MaxTrials = null);

/// <summary>
/// Reopens an experiment so its controller continues it: a resume (cancelled or failed: its cancelled trials are queued
/// again and the strategy is asked for the rest of the budget), a retry (its failed trials queued again: same parameters,
/// same seed, a new attempt) and an extension (a raised <c>maxTrials</c>; the sampler continues its seeded sequence from
/// the next trial number). Finished trials are kept as they are. Requeued trials have no job yet: the controller queues them
/// within the parallelism (reconciliation is the safety net). All moves are the Domain's <see cref="Lifecycle"/> moves, made
/// in one transaction conditional on the status the caller saw, so a concurrent change is a conflict, not a lost write.
/// </summary>
public static class ExperimentReopening
{
    /// <summary>Applies <paramref name="reopening"/> to an experiment last seen in <paramref name="seen"/>. Returns the trials
    /// queued again, or null when the experiment left <paramref name="seen"/> meanwhile (a conflict).</summary>
    public static async Task<int?> ApplyAsync(HpSearchDb db, Guid experimentId, ExperimentStatus seen, Reopening reopening,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Refused before any I/O when the state machine does not allow the moves.
        var reopen = seen.IsFinished();
        if (reopen) Lifecycle.Move(seen, ExperimentStatus.Running);
        var sources = new List<TrialStatus>();
        if (reopen) sources.Add(TrialStatus.Cancelled);
        if (reopening.RetryFailed) sources.Add(TrialStatus.Failed);

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var experiments = db.Experiments.Where(e => e.Id == experimentId && e.Status == seen);
            var moved = reopen
                ? await experiments.ExecuteUpdateAsync(s => s
                    .SetProperty(e => e.Status, ExperimentStatus.Running)
                    .SetProperty(e => e.CancelRequested, false)
                    .SetProperty(e => e.SamplingDone, false)
                    .SetProperty(e => e.FailureReason, (string?)null)
                    .SetProperty(e => e.FinishedAt, (DateTimeOffset?)null)
                    .SetProperty(e => e.MaxTrials, e => reopening.MaxTrials ?? e.MaxTrials)
                    .SetProperty(e => e.UpdatedAt, now), ct)
                // A running experiment is only retried: its controller may be writing it, so only this column is touched.
                : await experiments.Where(e => !e.CancelRequested).ExecuteUpdateAsync(s => s.SetProperty(e => e.UpdatedAt, now), ct);
            if (moved == 0) return (int?)null;
            var requeued = sources.Count == 0 ? 0 : await db.Trials.Where(t => t.ExperimentId == experimentId).MoveAsync(sources, TrialStatus.Queued, s => s
                .SetProperty(t => t.JobId, (string?)null)
                .SetProperty(t => t.Worker, (string?)null)
                .SetProperty(t => t.WorkerDeaths, 0)
                .SetProperty(t => t.FinishedAt, (DateTimeOffset?)null), ct);
            await tx.CommitAsync(ct);
            return requeued;
        }, cancellationToken);
    }
}
