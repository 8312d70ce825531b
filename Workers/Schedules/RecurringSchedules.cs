using Hangfire;
using Hangfire.Storage;
using HpSearch.Persistence.Model;
using HpSearch.Workers.Jobs;

namespace HpSearch.Workers.Schedules;

/// <summary>Keeps one Hangfire recurring job per enabled schedule (id <c>schedule-{id}</c>, on the control queue): Hangfire's
/// storage hands each firing to exactly one node, whatever the number of nodes. Misfire policy "skip" is Hangfire's
/// <see cref="MisfireHandlingMode.Ignorable"/>, "runOnce" is <see cref="MisfireHandlingMode.Relaxed"/> (one catch-up run).</summary>
public sealed class RecurringSchedules(IRecurringJobManager recurring, JobStorage storage)
{
    public static string JobId(Guid scheduleId) => $"schedule-{scheduleId:N}";

    public static MisfireHandlingMode Misfire(string policy) =>
        policy == "runOnce" ? MisfireHandlingMode.Relaxed : MisfireHandlingMode.Ignorable;

    /// <summary>Stores (or replaces) the schedule's recurring job; a disabled schedule has none.</summary>
    public void Put(Schedule schedule)
    {
        if (!schedule.Enabled)
        {
            recurring.RemoveIfExists(JobId(schedule.Id));
            return;
        }
        var id = schedule.Id;
        recurring.AddOrUpdate<ScheduleJob>(JobId(id), JobQueue.ControlQueue, j => j.RunAsync(id, null, CancellationToken.None),
            schedule.QuartzCron, new RecurringJobOptions
            {
                TimeZone = TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone),
                MisfireHandling = Misfire(schedule.MisfirePolicy),
            });
    }

    /// <summary>Registers a schedule whose recurring job is missing or differs (an upgrade from Quartz, a lost storage);
    /// an existing, unchanged one is left alone so its missed firings keep their misfire handling.</summary>
    public bool EnsureRegistered(Schedule schedule)
    {
        var current = Get(schedule.Id);
        if (!schedule.Enabled)
        {
            if (current is null) return false;
            recurring.RemoveIfExists(JobId(schedule.Id));
            return true;
        }
        if (current is not null && current.Cron == schedule.QuartzCron && current.TimeZoneId == schedule.TimeZone
            && (current.Job?.Queue ?? current.Queue) == JobQueue.ControlQueue) return false;
        Put(schedule);
        return true;
    }

    public void Delete(Guid scheduleId) => recurring.RemoveIfExists(JobId(scheduleId));

    /// <summary>The stored recurring job (null when there is none).</summary>
    public RecurringJobDto? Get(Guid scheduleId)
    {
        using var connection = storage.GetConnection();
        var dto = connection.GetRecurringJobs([JobId(scheduleId)]).FirstOrDefault();
        return dto is null || dto.Removed ? null : dto;
    }

    /// <summary>The next firing from the stored recurring job (null when disabled).</summary>
    public DateTimeOffset? NextFireTime(Guid scheduleId) =>
        Get(scheduleId)?.NextExecution is { } next ? new DateTimeOffset(DateTime.SpecifyKind(next, DateTimeKind.Utc)) : null;
}
