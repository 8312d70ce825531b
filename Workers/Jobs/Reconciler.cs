using Hangfire;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence;
using HpSearch.Persistence.Trials;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace HpSearch.Workers.Jobs;

/// <summary>
/// The recurring repair job: finds state no job will ever advance and moves it on, logging each repair.
/// Trials queued or running whose Hangfire job is gone, finished or failed (a crash between storing and queueing, retries
/// exhausted during a long database outage, trials in flight at the upgrade from Quartz) are queued again; open
/// experiments nobody touched for a while get their controller run (a submit whose enqueue was lost, all trials done but
/// the experiment open, a lost evaluation): the controller is idempotent, so running it is always safe.
/// </summary>
[AutomaticRetry(Attempts = 0)]
[DisableConcurrentExecution(60)]
public sealed partial class Reconciler(
    IDbContextFactory<HpSearchDb> dbFactory,
    JobStorage storage,
    JobQueue jobs,
    JobOptions options,
    AskTell.AskTellOptions askTell,
    TimeProvider clock,
    ILogger<Reconciler> logger)
{
    public const string RecurringJobId = "reconcile";

    private static readonly HashSet<string> LiveStates = new(StringComparer.OrdinalIgnoreCase) { "Enqueued", "Processing", "Scheduled", "Awaiting" };

    /// <summary>Returns how many things it repaired.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var repaired = 0;
        var stale = clock.GetUtcNow().AddSeconds(-options.ReconcileIntervalSeconds);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // Clients' trials (ask/tell) have no job: a lease that ran out puts the trial back in the queue for the next ask.
        var expired = await Persistence.Trials.TrialLeases.ExpireAsync(db, null, askTell.Lease, cancellationToken);
        foreach (var lease in expired)
        {
            LogLeaseExpired(logger, lease.Number, lease.ExperimentId, lease.Attempt, lease.Holder ?? "a client");
            repaired++;
        }
        foreach (var experimentId in expired.Select(l => l.ExperimentId).Distinct()) jobs.TriggerController(experimentId);

        // Retention: kept files whose time is up (not a repair, so not counted).
        var purged = await Persistence.Artifacts.ArtifactStore.PurgeExpiredAsync(db, clock.GetUtcNow(), cancellationToken);
        if (purged > 0) LogArtifactsPurged(logger, purged);

        var open = await db.Trials.Where(t => (t.Status == TrialStatus.Queued || t.Status == TrialStatus.Running) && t.UpdatedAt < stale
                && t.Experiment!.Trainer != ExperimentSpec.ExternalTrainer)
            .Select(t => new { t.Id, t.Number, t.Status, t.JobId, t.Attempt, t.ExperimentId, t.Experiment!.Pool })
            .ToListAsync(cancellationToken);
        using (var connection = storage.GetConnection())
        {
            foreach (var t in open)
            {
                var state = t.JobId is null ? null : connection.GetJobData(t.JobId)?.State;
                if (state is not null && LiveStates.Contains(state)) continue;
                // Hand a running attempt back first, so the re-run does not count it as a worker death (it was a lost job).
                await db.Trials.Where(x => x.Id == t.Id && x.Attempt == t.Attempt)
                    .MoveAsync(TrialStatus.Running, TrialStatus.Queued, null, cancellationToken);
                var jobId = jobs.EnqueueTrial(t.Id, t.Pool);
                await db.Trials.Where(x => x.Id == t.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.JobId, jobId)
                    .SetProperty(x => x.UpdatedAt, DateTimeOffset.UtcNow), cancellationToken);
                LogTrialRequeued(logger, t.Number, t.ExperimentId, t.Status.ToWire(), t.JobId ?? "none", state ?? "missing");
                repaired++;
            }
        }

        var experiments = await db.Experiments.Where(e => (e.Status == ExperimentStatus.Queued || e.Status == ExperimentStatus.Running) && e.UpdatedAt < stale
                && !db.Trials.Any(t => t.ExperimentId == e.Id && (t.Status == TrialStatus.Queued || t.Status == TrialStatus.Running)))
            .Select(e => new { e.Id, e.Status }).ToListAsync(cancellationToken);
        foreach (var e in experiments)
        {
            jobs.TriggerController(e.Id);
            LogControllerTriggered(logger, e.Id, e.Status.ToWire());
            repaired++;
        }
        return repaired;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} artifacts past their retention")]
    private static partial void LogArtifactsPurged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation: trial {Number} of experiment {ExperimentId} was {Status} with job {JobId} ({State}); queued again")]
    private static partial void LogTrialRequeued(ILogger logger, int number, Guid experimentId, string status, string jobId, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation: trial {Number} of experiment {ExperimentId}: the lease of attempt {Attempt} ({Holder}) ran out; offered again")]
    private static partial void LogLeaseExpired(ILogger logger, int number, Guid experimentId, int attempt, string holder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation: experiment {ExperimentId} was {Status} with nothing running; its controller runs again")]
    private static partial void LogControllerTriggered(ILogger logger, Guid experimentId, string status);
}
