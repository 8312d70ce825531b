using Quartz;

namespace HpSearch.Workers.Jobs;

/// <summary>Puts controller, trial and evaluation jobs into the clustered Quartz store. Every call is idempotent:
/// scheduling what is already there adds at most one more trigger, and the jobs themselves tolerate re-runs.</summary>
public sealed class JobScheduling(ISchedulerFactory schedulers)
{
    /// <summary>Runs the experiment's controller soon (after the current run, if one is running: never two at once).</summary>
    public async Task TriggerControllerAsync(Guid experimentId, CancellationToken cancellationToken, TimeSpan? delay = null)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var key = JobKeys.Controller(experimentId);
        var job = JobBuilder.Create<ControllerJob>()
            .WithIdentity(key)
            .StoreDurably()
            .RequestRecovery()
            .UsingJobData(ControllerJob.ExperimentIdKey, experimentId.ToString())
            .Build();
        await AddJobAsync(scheduler, job, cancellationToken);
        await scheduler.ScheduleJob(Trigger(key, JobKeys.ControlGroup, delay), default, cancellationToken);
    }

    /// <summary>Queues a trial in its pool; only nodes serving that pool pick it up. The job is not durable:
    /// it leaves the store when its last trigger completed, and is recovered on another node if this one dies.</summary>
    public Task ScheduleTrialAsync(Guid trialId, string pool, CancellationToken cancellationToken) =>
        ScheduleOnceAsync<TrialJob>(JobKeys.Trial(trialId), TrialJob.TrialIdKey, trialId, pool, cancellationToken);

    /// <summary>Queues the one-time test evaluation of the chosen trial in its pool.</summary>
    public Task ScheduleEvaluationAsync(Guid trialId, string pool, CancellationToken cancellationToken) =>
        ScheduleOnceAsync<EvaluateJob>(JobKeys.Evaluate(trialId), EvaluateJob.TrialIdKey, trialId, pool, cancellationToken);

    /// <summary>Fires an existing trial job again (used when a node stops in the middle of a trial).</summary>
    public async Task RetriggerTrialAsync(Guid trialId, string pool, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var key = JobKeys.Trial(trialId);
        if (await scheduler.Exists(key, cancellationToken))
            await scheduler.ScheduleJob(Trigger(key, pool, TimeSpan.FromSeconds(1)), default, cancellationToken);
        else
            await ScheduleTrialAsync(trialId, pool, cancellationToken);
    }

    private async Task ScheduleOnceAsync<TJob>(JobKey key, string dataKey, Guid id, string pool, CancellationToken cancellationToken)
        where TJob : IJob
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        if (await scheduler.Exists(key, cancellationToken)) return;
        var job = JobBuilder.Create<TJob>()
            .WithIdentity(key)
            .RequestRecovery()
            .UsingJobData(dataKey, id.ToString())
            .Build();
        try
        {
            await scheduler.ScheduleJob(job, Trigger(key, pool, null), default, cancellationToken);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Scheduled by another controller run: at most one job per trial.
        }
    }

    /// <summary>Removes a finished job (it was stored durably so triggers could be added later).</summary>
    public async Task DeleteAsync(JobKey key, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.DeleteJob(key, cancellationToken);
    }

    /// <summary>True when the trial job still exists in the store (queued, running, or waiting for recovery).</summary>
    public async Task<bool> TrialJobExistsAsync(Guid trialId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        return await scheduler.Exists(JobKeys.Trial(trialId), cancellationToken);
    }

    private static ITrigger Trigger(JobKey key, string executionGroup, TimeSpan? delay)
    {
        var builder = TriggerBuilder.Create()
            .ForJob(key)
            .WithIdentity($"{key.Name}-{Guid.NewGuid():N}", key.Group)
            .WithExecutionGroup(executionGroup);
        return (delay is { } d ? builder.StartAt(DateTimeOffset.UtcNow + d) : builder.StartNow()).Build();
    }

    private static async Task AddJobAsync(IScheduler scheduler, IJobDetail job, CancellationToken cancellationToken)
    {
        try
        {
            await scheduler.AddJob(job, default, cancellationToken);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Another node added it first: the same job, nothing to do.
        }
    }
}
