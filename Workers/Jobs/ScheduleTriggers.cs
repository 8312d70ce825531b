using HpSearch.Persistence.Model;
using Quartz;

namespace HpSearch.Workers.Jobs;

/// <summary>Keeps one durable <see cref="ScheduleJob"/> with one cron trigger per enabled schedule in the clustered store:
/// the store hands each firing to exactly one node, whatever the number of nodes.</summary>
public sealed class ScheduleTriggers(ISchedulerFactory schedulers)
{
    /// <summary>The cron trigger of a schedule: its Quartz expression in its time zone, the misfire instruction from its policy.</summary>
    public static ITrigger Build(Schedule schedule)
    {
        var misfire = schedule.MisfirePolicy == "runOnce"
            ? CronTriggerMisfireInstruction.FireAndProceed // one catch-up run after downtime, however many nights were missed
            : CronTriggerMisfireInstruction.DoNothing;    // missed nights are skipped; the next night runs as planned
        var builder = TriggerBuilder.Create()
            .WithIdentity(JobKeys.ScheduleTrigger(schedule.Id))
            .ForJob(JobKeys.Schedule(schedule.Id))
            .WithExecutionGroup(JobKeys.ControlGroup)
            .WithCronSchedule(schedule.QuartzCron, c => c
                .InTimeZone(TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone))
                .WithMisfireInstruction(misfire));
        return builder.Build();
    }

    /// <summary>Stores (or replaces) the schedule's job and trigger; a disabled schedule has no trigger.</summary>
    public async Task PutAsync(Schedule schedule, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var job = JobBuilder.Create<ScheduleJob>()
            .WithIdentity(JobKeys.Schedule(schedule.Id))
            .StoreDurably()
            .RequestRecovery()
            .UsingJobData(ScheduleJob.ScheduleIdKey, schedule.Id.ToString())
            .Build();
        if (!schedule.Enabled)
        {
            await scheduler.AddJob(job, new AddJobOptions { Replace = true }, cancellationToken);
            await scheduler.UnscheduleJob(JobKeys.ScheduleTrigger(schedule.Id), cancellationToken);
            return;
        }
        await scheduler.ScheduleJob(job, Build(schedule), ScheduleJobOptions.Replacing, cancellationToken);
    }

    public async Task DeleteAsync(Guid scheduleId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.DeleteJob(JobKeys.Schedule(scheduleId), cancellationToken);
    }

    /// <summary>The next firing from the stored trigger (null when disabled or never again).</summary>
    public async Task<DateTimeOffset?> NextFireTimeAsync(Guid scheduleId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var trigger = await scheduler.GetTrigger(JobKeys.ScheduleTrigger(scheduleId), cancellationToken);
        return trigger?.NextFireTimeUtc;
    }

    /// <summary>The stored trigger itself (tests read its misfire instruction).</summary>
    public async Task<ITrigger?> GetAsync(Guid scheduleId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        return await scheduler.GetTrigger(JobKeys.ScheduleTrigger(scheduleId), cancellationToken);
    }
}
