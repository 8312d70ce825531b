using System.Diagnostics;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Sampling;
using HpSearch.Domain.Strategies;
using HpSearch.Persistence;
using HpSearch.Persistence.Model;
using HpSearch.Persistence.Artifacts;
using HpSearch.Persistence.Observability;
using HpSearch.Persistence.Experiments;
using HpSearch.Persistence.Trials;
using HpSearch.Workers.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Hangfire;
using Npgsql;

namespace HpSearch.Workers.Jobs;

/// <summary>
/// Drives one experiment: asks the strategy for the next trials up to the parallelism, queues them, and finishes
/// the experiment when the strategy is done and nothing runs. Never runs twice at once for one experiment (a PostgreSQL
/// advisory lock, released by the server if this process dies), and is safe to re-run at any point: every trigger
/// (a trial's end, a cancel, reconciliation) just runs it again.
/// </summary>
public sealed partial class ControllerJob(
    IDbContextFactory<HpSearchDb> dbFactory,
    TrainerCatalog catalog,
    Data.DatasetCatalog datasets,
    JobQueue jobs,
    TimeProvider clock,
    ArtifactOptions artifactOptions,
    ILogger<ControllerJob> logger)
{
    public async Task RunAsync(Guid experimentId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // One controller per experiment at a time, across every node: a session lock on a connection of its own. Triggers
        // coalesce: a run that finds the lock taken leaves at once (its control worker is free again) and the holder, once it
        // released the lock, looks whether anything it did not see happened meanwhile and runs again if so.
        await using var lockConnection = new NpgsqlConnection(db.Database.GetConnectionString());
        await lockConnection.OpenAsync(cancellationToken);
        while (true)
        {
            if (!await LockAsync(lockConnection, "SELECT pg_try_advisory_lock(hashtextextended('controller:' || $1, 0))", experimentId, cancellationToken))
            {
                LogCoalesced(logger, experimentId);
                return;
            }
            ControllerInputs seen;
            try
            {
                seen = await ControllerInputs.ReadAsync(db, experimentId, cancellationToken);
                db.ChangeTracker.Clear();
                await RunLockedAsync(db, experimentId, cancellationToken);
            }
            finally
            {
                // Unlocked explicitly: a pooled connection keeps its session (and the lock) when closed. If this process dies,
                // the server ends the session and the lock goes with it.
                try
                {
                    await LockAsync(lockConnection, "SELECT pg_advisory_unlock(hashtextextended('controller:' || $1, 0))", experimentId, CancellationToken.None);
                }
                catch (NpgsqlException)
                {
                    // The connection broke: the server released the lock when the session ended.
                }
            }
            // A trigger refused while the lock was held committed its change before it tried: it shows here.
            if (await ControllerInputs.ReadAsync(db, experimentId, cancellationToken) == seen) return;
        }
    }

    private static async Task<bool> LockAsync(NpgsqlConnection connection, string sql, Guid experimentId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(experimentId.ToString("N"));
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    private async Task RunLockedAsync(HpSearchDb db, Guid experimentId, CancellationToken cancellationToken)
    {
        var experiment = await db.Experiments.SingleOrDefaultAsync(e => e.Id == experimentId, cancellationToken);
        if (experiment is null || experiment.Status.IsFinished()) return;
        var now = clock.GetUtcNow();

        if (experiment.CancelRequested)
        {
            await CancelAsync(db, experiment, now, cancellationToken);
            return;
        }

        ExperimentSpec spec;
        try
        {
            // This node may not have the experiment's trainer (a GPU command trainer): the controller only plans trials.
            spec = ExperimentStore.ParseSpec(experiment, new StoredSpecCatalog(catalog, experiment.Trainer));
        }
        catch (Exception e) when (e is Domain.Validation.SpecException or NotSupportedException)
        {
            await FailAsync(db, experiment, $"the stored spec is no longer valid here: {e.Message}", now, cancellationToken);
            return;
        }

        if (experiment.Status == ExperimentStatus.Queued)
        {
            experiment.MoveTo(ExperimentStatus.Running);
            experiment.StartedAt = now;
        }

        // The six-step recipe reads whole curves (train loss and accuracy too) of its few trials; every other strategy reads the
        // objective alone, in one narrow query (decision 0018: the part of a run that still grows with the finished trials).
        // Several objectives need every objective's values too (the front, MOTPE).
        var records = spec.Strategy.Kind == StrategyKind.SixStep || spec.IsMultiObjective
            ? await ExperimentStore.LoadTrialRecordsAsync(db, experimentId, cancellationToken)
            : (await TrialHistory.LoadAsync(db, experimentId, spec.Objective, cancellationToken)).Select(h => h.Record).ToList();
        var count = records.Count;
        var active = records.Count(t => !t.Status.IsFinished());
        var newTrials = new List<Trial>();

        // Trials queued again by a resume or retry (ExperimentReopening) have no job yet, nor has a trial whose enqueue a crash
        // interrupted: they go first, within the parallelism.
        var held = spec.IsExternal ? [] : await db.Trials
            .Where(t => t.ExperimentId == experimentId && t.Status == TrialStatus.Queued && t.JobId == null)
            .OrderBy(t => t.Number).ToListAsync(cancellationToken);
        var requeued = held.Take(Math.Max(0, spec.Budget.Parallelism - (active - held.Count))).ToList();

        // A scheduled run's warm start: the previous run's best configurations are the first trials, before the strategy
        // is asked (they count towards maxTrials, and the sampler continues after them).
        var warm = Schedules.WarmStart.Parse(experiment.WarmStartJson);
        var warmPending = !experiment.SamplingDone && count < warm.Count;
        if (warmPending)
        {
            var free = Math.Max(0, spec.Budget.Parallelism - active);
            for (var i = count; i < warm.Count && newTrials.Count < free; i++)
                newTrials.Add(NewTrial(experiment, spec, new TrialRequest(WireJson.ParseParams(warm[i]), spec.Budget.MaxEpochs), i, now));
        }
        else if (!experiment.SamplingDone)
        {
            var strategy = spec.Strategy.Kind == StrategyKind.SixStep
                ? new Domain.Recipe.SixStepRecipe((await datasets.LoadAsync(spec.Dataset, cancellationToken)).Classes)
                : Strategies.Create(spec);
            var elapsed = now - (experiment.StartedAt ?? now);
            var decision = strategy.Next(spec, records, Math.Max(0, spec.Budget.Parallelism - active), elapsed);
            experiment.CurrentStage = decision.CurrentStage;
            if (decision.Stages is not null) experiment.StagesJson = WireJson.Serialize(decision.Stages);
            foreach (var request in decision.NewTrials)
                newTrials.Add(NewTrial(experiment, spec, request, count + newTrials.Count, now));
            if (decision.FailureReason is not null)
            {
                db.Trials.AddRange(newTrials);
                await FailAsync(db, experiment, decision.FailureReason, now, cancellationToken);
                return;
            }
            if (decision.Done) experiment.SamplingDone = true;
        }

        await UpdateBestAsync(db, experiment, spec, records, cancellationToken);

        if (experiment.SamplingDone && active == 0 && newTrials.Count == 0)
        {
            await FinishAsync(db, experiment, spec, records, now, cancellationToken);
            return;
        }

        db.Trials.AddRange(newTrials);
        experiment.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);

        // The trials are stored first (the outbox): a crash before their job ids are stored leaves them queued without a
        // job, and reconciliation queues them.
        // Clients claim an external experiment's trials over ask/tell: no job trains them.
        if (!spec.IsExternal) await EnqueueAsync(db, [.. requeued, .. newTrials], experiment.Pool, cancellationToken);
        if (newTrials.Count + requeued.Count > 0) LogQueued(logger, newTrials.Count + requeued.Count, experimentId);
    }

    private async Task EnqueueAsync(HpSearchDb db, List<Trial> trials, string pool, CancellationToken cancellationToken)
    {
        if (trials.Count == 0) return;
        var controller = Activity.Current;
        foreach (var t in trials)
        {
            // The root of the trial's own trace (one trace per trial, not one per sweep), linked to the controller run that
            // dispatched it; its job carries this span's context (TraceContextFilter).
            Activity.Current = null;
            try
            {
                using var span = ServiceTracing.Source.StartActivity("trial.dispatch", ActivityKind.Producer, default(ActivityContext),
                    links: controller is null ? null : [new ActivityLink(controller.Context)]);
                span?.SetTag(ServiceTracing.TrialTag, t.Id.ToString());
                span?.SetTag(ServiceTracing.ExperimentTag, t.ExperimentId.ToString());
                span?.SetTag("hpsearch.pool", pool);
                t.JobId = jobs.EnqueueTrial(t.Id, pool);
            }
            finally
            {
                Activity.Current = controller;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static Trial NewTrial(Experiment experiment, ExperimentSpec spec, TrialRequest request, int number, DateTimeOffset now)
    {
        var merged = new Dictionary<string, object>(spec.Params, StringComparer.Ordinal);
        foreach (var (k, v) in request.Params) merged[k] = v;
        return new Trial
        {
            Id = Guid.CreateVersion7(),
            ExperimentId = experiment.Id,
            Number = number,
            ParamsJson = WireJson.Serialize(merged),
            Stage = request.Stage,
            OptionsJson = request.Options is null ? null : WireJson.Serialize(request.Options),
            MaxEpochs = request.MaxEpochs,
            Seed = Seeds.Derive(spec.Strategy.Seed, 2, number),
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>Keeps the experiment's best-so-far on the validation objective current for lists and live views; with several
    /// objectives also the Pareto front, and the best is the front member best on the first objective.</summary>
    private static async Task UpdateBestAsync(HpSearchDb db, Experiment experiment, ExperimentSpec spec, List<TrialRecord> records,
        CancellationToken cancellationToken)
    {
        if (spec.IsMultiObjective)
        {
            var front = ParetoFront.Of(records, spec.Objectives);
            experiment.FrontJson = StoredObjectives.FrontJson(front, await IdsOfAsync(db, experiment.Id, front.Select(m => m.Number).ToList(), cancellationToken));
        }
        var best = BestTrial.Choose(records, spec.Objectives);
        if (best is null) return;
        experiment.BestTrialId = await db.Trials.Where(t => t.ExperimentId == experiment.Id && t.Number == best.Number).Select(t => t.Id)
            .SingleAsync(cancellationToken);
        experiment.BestValue = best.BestValue(spec.Objective);
    }

    private async Task FinishAsync(HpSearchDb db, Experiment experiment, ExperimentSpec spec, List<TrialRecord> records,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var best = experiment.BestTrialId is { } bestId
            ? await db.Trials.AsNoTracking().Where(t => t.Id == bestId).Select(t => new { t.Id, t.TestAccuracy }).SingleAsync(cancellationToken)
            : null;
        if (best is not null)
        {
            // Before the chosen trial's checkpoint is consumed by its test evaluation: the best trials' files are kept.
            var policy = spec.ArtifactPolicy;
            var numbers = BestTrial.Rank(records, spec.Objectives).Take(policy.KeepTop).Select(r => r.Number).ToList();
            var keep = (await IdsOfAsync(db, experiment.Id, numbers, cancellationToken)).Values.ToList();
            var days = policy.RetentionDays ?? artifactOptions.RetentionDays;
            await ArtifactStore.KeepAsync(db, experiment.Id, keep, spec.Trainer, days > 0 ? now.AddDays(days) : null, now, cancellationToken);
        }
        if (best is not null && best.TestAccuracy is null
            && await db.Checkpoints.AnyAsync(c => c.TrialId == best.Id, cancellationToken))
        {
            // The chosen trial is evaluated on the test split once; the evaluation job runs this controller again.
            experiment.CurrentStage ??= null;
            experiment.UpdatedAt = now;
            await db.SaveChangesAsync(cancellationToken);
            jobs.EnqueueEvaluation(best.Id);
            return;
        }

        if (best is null)
        {
            experiment.MoveTo(ExperimentStatus.Failed);
            experiment.FailureReason ??= "no trial produced a finite value of the objective.";
        }
        else
        {
            experiment.MoveTo(ExperimentStatus.Completed);
            if (experiment.ScheduleId is { } scheduleId) await FlagRegressionAsync(db, experiment, scheduleId, cancellationToken);
        }
        experiment.FinishedAt = now;
        experiment.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        if (best is null) await ArtifactStore.DeleteAllAsync(db, experiment.Id, cancellationToken);
        // The test evaluation is done: the other trials' weights were copied to artifacts if they are kept.
        await db.Checkpoints.Where(c => db.Trials.Any(t => t.Id == c.TrialId && t.ExperimentId == experiment.Id && t.Id != experiment.BestTrialId))
            .ExecuteDeleteAsync(cancellationToken);
        LogFinished(logger, experiment.Id, experiment.Status.ToWire(), experiment.BestValue);
    }

    /// <summary>The ids of the experiment's trials with these numbers (an indexed lookup of a few rows, not the trial list).</summary>
    private static Task<Dictionary<int, Guid>> IdsOfAsync(HpSearchDb db, Guid experimentId, List<int> numbers, CancellationToken cancellationToken) =>
        db.Trials.AsNoTracking().Where(t => t.ExperimentId == experimentId && numbers.Contains(t.Number))
            .ToDictionaryAsync(t => t.Number, t => t.Id, cancellationToken);

    /// <summary>A scheduled run whose best is worse than the previous completed run's best by more than the schedule's margin
    /// is a regression (stored, shown night over night).</summary>
    private static async Task FlagRegressionAsync(HpSearchDb db, Experiment experiment, Guid scheduleId, CancellationToken cancellationToken)
    {
        var margin = await db.Schedules.Where(s => s.Id == scheduleId).Select(s => (double?)s.RegressionMargin).SingleOrDefaultAsync(cancellationToken);
        var previous = await db.Experiments.AsNoTracking()
            .Where(e => e.ScheduleId == scheduleId && e.Id != experiment.Id && e.CreatedAt < experiment.CreatedAt
                        && e.Status == ExperimentStatus.Completed && e.BestValue != null)
            .OrderByDescending(e => e.CreatedAt).Select(e => e.BestValue).FirstOrDefaultAsync(cancellationToken);
        if (previous is not { } prev || experiment.BestValue is not { } best) return;
        experiment.PreviousBestValue = prev;
        var m = margin ?? 0;
        experiment.Regression = experiment.Maximize ? best < prev - m : best > prev + m;
    }

    private async Task FailAsync(HpSearchDb db, Experiment experiment, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        experiment.FailureReason = reason;
        experiment.SamplingDone = true;
        experiment.CancelRequested = true;
        await CancelAsync(db, experiment, now, cancellationToken, ExperimentStatus.Failed);
    }

    /// <summary>Queued trials are cancelled now; running ones stop at their next epoch and run this controller again.</summary>
    private async Task CancelAsync(HpSearchDb db, Experiment experiment, DateTimeOffset now, CancellationToken cancellationToken,
        ExperimentStatus final = ExperimentStatus.Cancelled)
    {
        // Set-based, through the status index: no trial is loaded (a re-run after a crash between the two writes repeats both).
        await db.Trials.Where(t => t.ExperimentId == experiment.Id).MoveAsync(TrialStatus.Queued, TrialStatus.Cancelled, null, cancellationToken);
        var finished = !await db.Trials.AnyAsync(t => t.ExperimentId == experiment.Id && t.Status == TrialStatus.Running, cancellationToken);
        if (finished)
        {
            experiment.MoveTo(experiment.FailureReason is not null ? ExperimentStatus.Failed : final);
            experiment.FinishedAt = now;
        }
        experiment.UpdatedAt = now;
        // Cancelled trials' jobs, if they run, find the trial finished and do nothing.
        await db.SaveChangesAsync(cancellationToken);
        // A cancelled or failed experiment evaluates nothing on the test split: none of its weights or files are kept.
        if (finished)
        {
            await db.Checkpoints.Where(c => db.Trials.Any(t => t.Id == c.TrialId && t.ExperimentId == experiment.Id))
                .ExecuteDeleteAsync(cancellationToken);
            await ArtifactStore.DeleteAllAsync(db, experiment.Id, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Controller of experiment {ExperimentId} is running elsewhere: this trigger joins it")]
    private static partial void LogCoalesced(ILogger logger, Guid experimentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued {Count} trials of experiment {ExperimentId}")]
    private static partial void LogQueued(ILogger logger, int count, Guid experimentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId} finished: {Status}, best {BestValue}")]
    private static partial void LogFinished(ILogger logger, Guid experimentId, string status, double? bestValue);
}
