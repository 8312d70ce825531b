using Hangfire;
using HpSearch.Domain.EarlyStopping;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Strategies;
using HpSearch.Persistence;
using HpSearch.Persistence.Model;
using HpSearch.Persistence.Trials;
using HpSearch.Persistence.Experiments;
using HpSearch.Workers.Nodes;
using HpSearch.Workers.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace HpSearch.Workers.Jobs;

/// <summary>
/// Trains one trial, epoch by epoch, and records exactly one outcome: completed, pruned, diverged, failed or cancelled.
/// A training exception fails the trial, never the worker; a database fault is thrown to Hangfire, which retries the job a
/// bounded number of times (Jobs:TransientRetries, <see cref="RetryFilters"/>; the trial stays open, reconciliation picks it up past that). Re-runs start a new attempt, and
/// a trial whose worker died <see cref="JobOptions.MaxWorkerDeaths"/> times running it is failed instead of run again.
/// </summary>
public sealed partial class TrialJob(
    IDbContextFactory<HpSearchDb> dbFactory,
    TrainerCatalog catalog,
    JobQueue jobs,
    SlotRegistry slots,
    JobOptions options,
    ILogger<TrialJob> logger)
{
    public async Task RunAsync(Guid trialId, CancellationToken cancellationToken)
    {
        Trial trial;
        Experiment experiment;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var found = await db.Trials.AsNoTracking().Include(t => t.Experiment).SingleOrDefaultAsync(t => t.Id == trialId, cancellationToken);
            if (found?.Experiment is null) return;
            trial = found;
            experiment = found.Experiment;
            if (found.Status.IsFinished())
            {
                // A re-run of a finished trial (its controller trigger may have been lost to a database fault): nudge the controller.
                jobs.TriggerController(experiment.Id);
                return;
            }
            if (experiment.CancelRequested || experiment.Status.IsFinished())
            {
                await db.Trials.Where(t => t.Id == trialId)
                    .MoveAsync([TrialStatus.Queued, TrialStatus.Running], TrialStatus.Cancelled, null, CancellationToken.None);
                jobs.TriggerController(experiment.Id);
                return;
            }
        }

        using var slot = slots.Take(experiment.Pool, experiment.Id, trial.Id, trial.Number);
        AttemptStart? start;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            start = await TrialWrites.StartAttemptAsync(db, trial.Id, slot.Worker, cancellationToken);
        if (start is null) return; // finished meanwhile by another run
        var attempt = start.Attempt;

        if (start.WorkerDeaths >= options.MaxWorkerDeaths)
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await TrialWrites.FailAsync(db, trial.Id, attempt, $"its worker died {start.WorkerDeaths} times running it.", CancellationToken.None);
            LogPoison(logger, trial.Number, experiment.Id, start.WorkerDeaths);
            jobs.TriggerController(experiment.Id);
            return;
        }
        if (options.AbortProcessForExperimentName is { } poison && experiment.Name == poison)
            Environment.FailFast($"test hook: trial {trial.Number} of '{poison}' aborts its worker process.");

        TrialObserver? observer = null;
        (TrialStatus Status, string? Error, StopDecision? Decision, TrainOutcome? Outcome) result;
        try
        {
            // The stored spec is parsed once per job, with the catalog of this node (it has the trainer: it serves the pool).
            var spec = ExperimentStore.ParseSpec(experiment, catalog);
            var trialOptions = WireJson.Deserialize<TrialOptions>(trial.OptionsJson) ?? TrialOptions.Default;
            var stops = TrialEpochs.Stops(spec, trialOptions, trial.MaxEpochs);
            observer = new TrialObserver(dbFactory, experiment.Id, trial.Id, trial.Number, attempt, spec, stops);
            var request = new TrainRequest(trial.Id, attempt, spec.Dataset, WireJson.ParseParams(trial.ParamsJson),
                trial.MaxEpochs, trial.Seed, trialOptions, experiment.Pool, slot.Index);

            var outcome = await catalog.Get(spec.Trainer).TrainAsync(request, observer, cancellationToken);
            // A trainer that caught the observer's database exception and stopped: still a database fault, not an outcome.
            if (observer.StoreFault is { } fault) throw new InvalidOperationException("a database write of this trial failed.", fault);
            result = outcome.Status switch
            {
                _ when observer.Superseded => default,
                TrainStatus.Diverged => (TrialStatus.Diverged, outcome.Message ?? $"the loss became NaN or infinite at epoch {observer.EpochsSeen + 1}.", observer.Decision, outcome),
                _ when observer.Cancelled => (TrialStatus.Cancelled, null, observer.Decision, outcome),
                _ when observer.MissingObjectives() is { } missing => (TrialStatus.Failed, missing, observer.Decision, outcome),
                _ when observer.Decision is { Pruned: true } => (TrialStatus.Pruned, null, observer.Decision, outcome),
                _ => (TrialStatus.Completed, null, observer.Decision, outcome),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // This node is stopping mid-trial, or Hangfire aborted the job because it moved on (a paused node woke after
            // its fetch expired): hand the trial back if this attempt is still the current one; else it wrote nothing.
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            if (await TrialWrites.RequeueAsync(db, trial.Id, attempt, CancellationToken.None) > 0)
                LogTrialRequeued(logger, trial.Number, experiment.Id);
            else
                LogSuperseded(logger, trial.Number, experiment.Id, attempt);
            throw;
        }
        catch (Exception e) when (observer?.StoreFault is not null || StoreFaults.IsStoreFault(e))
        {
            // Not a training failure: Hangfire retries the job (bounded); the next start does not count it as a death.
            LogStoreFault(logger, e, trial.Number, experiment.Id);
            await TryRequeueAsync(trial.Id, attempt);
            throw;
        }
        catch (Exception e)
        {
            LogTrialFailed(logger, e, trial.Number, experiment.Id);
            result = (TrialStatus.Failed, $"{e.GetType().Name}: {e.Message}", observer?.Decision, null);
        }

        if (observer?.Superseded == true)
        {
            LogSuperseded(logger, trial.Number, experiment.Id, attempt);
            return;
        }
        var stopReason = StopReasons.ToJson(result.Decision);
        var kept = result.Status is TrialStatus.Completed or TrialStatus.Pruned;
        var checkpoint = kept ? result.Outcome?.Checkpoint : null;
        await using (var db = await dbFactory.CreateDbContextAsync(CancellationToken.None))
        {
            if (!await TrialWrites.FinishAsync(db, trial.Id, attempt, result.Status, result.Error, stopReason,
                    checkpoint, result.Outcome?.CheckpointEpoch ?? 0, CancellationToken.None, kept ? result.Outcome?.Files : null))
            {
                LogSuperseded(logger, trial.Number, experiment.Id, attempt);
                return;
            }
        }
        LogTrialDone(logger, trial.Number, experiment.Id, result.Status.ToWire());
        jobs.TriggerController(experiment.Id);
    }

    private async Task TryRequeueAsync(Guid trialId, int attempt)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await TrialWrites.RequeueAsync(db, trialId, attempt, CancellationToken.None);
        }
        catch (Exception e) when (StoreFaults.IsStoreFault(e))
        {
            // Still down: the retry will count this attempt as a worker death, which MaxWorkerDeaths allows for.
            LogStoreFault(logger, e, -1, trialId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {Number} of experiment {ExperimentId} ended {Status}")]
    private static partial void LogTrialDone(ILogger logger, int number, Guid experimentId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {Number} of experiment {ExperimentId} failed")]
    private static partial void LogTrialFailed(ILogger logger, Exception exception, int number, Guid experimentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {Number} of experiment {ExperimentId}: database fault, the job is retried")]
    private static partial void LogStoreFault(ILogger logger, Exception exception, int number, Guid experimentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {Number} of experiment {ExperimentId}: attempt {Attempt} was superseded, nothing written")]
    private static partial void LogSuperseded(ILogger logger, int number, Guid experimentId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Trial {Number} of experiment {ExperimentId} failed: its worker died {Deaths} times running it")]
    private static partial void LogPoison(ILogger logger, int number, Guid experimentId, int deaths);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {Number} of experiment {ExperimentId} handed back: this node is stopping")]
    private static partial void LogTrialRequeued(ILogger logger, int number, Guid experimentId);
}
