using HpSearch.Domain.EarlyStopping;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Strategies;
using HpSearch.Persistence;
using HpSearch.Persistence.Model;
using HpSearch.Workers.Experiments;
using HpSearch.Workers.Nodes;
using HpSearch.Workers.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Quartz;

namespace HpSearch.Workers.Jobs;

/// <summary>
/// Trains one trial, epoch by epoch, and records exactly one outcome: completed, pruned, diverged, failed or cancelled.
/// A training exception fails the trial, never the worker. Re-runs (recovery after a node died) start a new attempt.
/// </summary>
public sealed partial class TrialJob(
    IDbContextFactory<HpSearchDb> dbFactory,
    TrainerCatalog catalog,
    JobScheduling jobs,
    SlotRegistry slots,
    ILogger<TrialJob> logger) : IJob
{
    public const string TrialIdKey = "trialId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var trialId = Guid.Parse(context.MergedJobDataMap.GetString(TrialIdKey)!);
        await RunAsync(trialId, cancellationToken);
    }

    public async Task RunAsync(Guid trialId, CancellationToken cancellationToken)
    {
        Trial trial;
        Experiment experiment;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var found = await db.Trials.Include(t => t.Experiment).SingleOrDefaultAsync(t => t.Id == trialId, cancellationToken);
            if (found?.Experiment is null || Lifecycle.ParseTrialStatus(found.Status).IsFinished()) return;
            trial = found;
            experiment = found.Experiment;
            if (experiment.CancelRequested || Lifecycle.ParseExperimentStatus(experiment.Status).IsFinished())
            {
                await FinishAsync(trial.Id, TrialStatus.Cancelled, null, null, null, CancellationToken.None);
                await jobs.TriggerControllerAsync(experiment.Id, CancellationToken.None);
                return;
            }
        }

        using var slot = slots.Take(experiment.Pool, experiment.Id, trial.Id, trial.Number);
        var attempt = await StartAttemptAsync(trial.Id, slot.Worker, cancellationToken);

        TrialObserver? observer = null;
        try
        {
            var spec = ExperimentStore.ParseSpec(experiment, catalog);
            var options = WireJson.Deserialize<TrialOptions>(trial.OptionsJson) ?? TrialOptions.Default;
            var stops = !options.NoStopping && StoppingRules.Create(spec.EarlyStopping, spec.Objective, trial.MaxEpochs) is not null;
            observer = new TrialObserver(dbFactory, experiment.Id, trial.Id, trial.Number, attempt, spec, stops);
            var request = new TrainRequest(trial.Id, attempt, spec.Dataset, WireJson.ParseParams(trial.ParamsJson),
                trial.MaxEpochs, trial.Seed, options, experiment.Pool, slot.Index);

            var outcome = await catalog.Get(spec.Trainer).TrainAsync(request, observer, cancellationToken);

            var (status, error) = outcome.Status switch
            {
                TrainStatus.Diverged => (TrialStatus.Diverged, outcome.Message ?? $"the loss became NaN or infinite at epoch {observer.EpochsSeen + 1}."),
                _ when observer.Cancelled => (TrialStatus.Cancelled, null),
                _ when observer.Decision is { Pruned: true } => (TrialStatus.Pruned, null),
                _ => (TrialStatus.Completed, null),
            };
            await FinishAsync(trial.Id, status, error, observer.Decision, outcome, CancellationToken.None);
            LogTrialDone(logger, trial.Number, experiment.Id, status.ToWire());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // This node is shutting down mid-trial: hand the trial back so another node (or this one, later) re-runs it.
            await RequeueAsync(trial.Id, CancellationToken.None);
            await jobs.RetriggerTrialAsync(trial.Id, experiment.Pool, CancellationToken.None);
            LogTrialRequeued(logger, trial.Number, experiment.Id);
            return;
        }
        catch (Exception e)
        {
            LogTrialFailed(logger, e, trial.Number, experiment.Id);
            await FinishAsync(trial.Id, TrialStatus.Failed, $"{e.GetType().Name}: {e.Message}", observer?.Decision, null, CancellationToken.None);
        }
        await jobs.TriggerControllerAsync(experiment.Id, CancellationToken.None);
    }

    private async Task<int> StartAttemptAsync(Guid trialId, string worker, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var trial = await db.Trials.SingleAsync(t => t.Id == trialId, cancellationToken);
        trial.Attempt += 1;
        trial.Status = TrialStatus.Running.ToWire();
        trial.Worker = worker;
        trial.StartedAt = DateTimeOffset.UtcNow;
        trial.UpdatedAt = trial.StartedAt.Value;
        trial.EpochCount = 0;
        trial.BestValue = null;
        trial.BestEpoch = null;
        trial.StopReasonJson = null;
        trial.Error = null;
        await db.SaveChangesAsync(cancellationToken);
        // A new attempt recomputes the same seeded curve; earlier attempts' rows are replaced, never doubled.
        await db.TrialEpochs.Where(e => e.TrialId == trialId).ExecuteDeleteAsync(cancellationToken);
        return trial.Attempt;
    }

    private async Task RequeueAsync(Guid trialId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Trials.Where(t => t.Id == trialId && t.Status == "running").ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Status, TrialStatus.Queued.ToWire())
            .SetProperty(t => t.Worker, (string?)null)
            .SetProperty(t => t.UpdatedAt, DateTimeOffset.UtcNow), cancellationToken);
    }

    private async Task FinishAsync(Guid trialId, TrialStatus status, string? error, StopDecision? decision, TrainOutcome? outcome, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var trial = await db.Trials.SingleAsync(t => t.Id == trialId, cancellationToken);
        if (Lifecycle.ParseTrialStatus(trial.Status).IsFinished()) return;
        var now = DateTimeOffset.UtcNow;
        trial.Status = status.ToWire();
        trial.Error = error;
        trial.FinishedAt = now;
        trial.UpdatedAt = now;
        if (decision is not null)
        {
            trial.StopReasonJson = WireJson.Serialize(new
            {
                rule = decision.Rule, epoch = decision.Epoch, rung = decision.Rung,
                value = double.IsFinite(decision.Value) ? decision.Value : (double?)null,
                threshold = double.IsFinite(decision.Threshold) ? decision.Threshold : (double?)null,
                message = decision.Reason, pruned = decision.Pruned,
            });
        }
        if (outcome?.Checkpoint is { } data && status is TrialStatus.Completed or TrialStatus.Pruned)
        {
            var existing = await db.Checkpoints.SingleOrDefaultAsync(c => c.TrialId == trialId, cancellationToken);
            if (existing is null)
                db.Checkpoints.Add(new Checkpoint { TrialId = trialId, Epoch = outcome.CheckpointEpoch ?? 0, Data = data, CreatedAt = now });
            else
            {
                existing.Data = data;
                existing.Epoch = outcome.CheckpointEpoch ?? 0;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {Number} of experiment {ExperimentId} ended {Status}")]
    private static partial void LogTrialDone(ILogger logger, int number, Guid experimentId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {Number} of experiment {ExperimentId} failed")]
    private static partial void LogTrialFailed(ILogger logger, Exception exception, int number, Guid experimentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {Number} of experiment {ExperimentId} handed back: this node is stopping")]
    private static partial void LogTrialRequeued(ILogger logger, int number, Guid experimentId);
}
