using System.Text.Json;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Validation;
using HpSearch.Persistence;
using HpSearch.Persistence.Experiments;
using HpSearch.Workers.Schedules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Hangfire;
using Hangfire.Server;

namespace HpSearch.Workers.Jobs;

/// <summary>
/// One firing of a schedule: creates an ordinary experiment from the template, linked to the schedule, unless the overlap
/// policy says skip while the previous run is still queued or running. At-least-once: the experiment's idempotency key
/// is the schedule and the scheduled fire time, so a recovered firing never creates a second run.
/// </summary>
public sealed partial class ScheduleJob(
    IDbContextFactory<HpSearchDb> dbFactory,
    ISpecCatalog catalog,
    JobQueue jobs,
    TimeProvider clock,
    ILogger<ScheduleJob> logger)
{
    /// <summary>The recurring job's entry point; Hangfire passes the context, whose "Time" parameter is the planned firing.</summary>
    public async Task RunAsync(Guid scheduleId, PerformContext? context, CancellationToken cancellationToken)
    {
        var planned = context?.GetJobParameter<long?>("Time") is { } seconds
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : context?.BackgroundJob.CreatedAt is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : clock.GetUtcNow();
        await FireAsync(scheduleId, planned, cancellationToken);
    }

    /// <summary>Returns the created experiment's id, or null when the firing was skipped.</summary>
    public async Task<Guid?> FireAsync(Guid scheduleId, DateTimeOffset fireTimeUtc, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var schedule = await db.Schedules.SingleOrDefaultAsync(s => s.Id == scheduleId, cancellationToken);
        if (schedule is null || !schedule.Enabled) return null;
        var now = clock.GetUtcNow();
        schedule.LastFiredAt = now;

        var runs = db.Experiments.AsNoTracking().Where(e => e.ScheduleId == scheduleId).OrderByDescending(e => e.CreatedAt);
        var running = await runs.Where(e => e.Status == ExperimentStatus.Queued || e.Status == ExperimentStatus.Running).Select(e => e.Id).FirstOrDefaultAsync(cancellationToken);
        if (schedule.OverlapPolicy == "skip" && running != Guid.Empty)
        {
            schedule.LastFireOutcome = $"skipped: the previous run {running} is still running.";
            await db.SaveChangesAsync(cancellationToken);
            LogSkipped(logger, schedule.Name, running);
            return null;
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone);
        var name = ScheduleTemplate.RunName(schedule.Name, fireTimeUtc, zone);
        var errors = new SpecErrors();
        using var template = JsonDocument.Parse(schedule.TemplateJson);
        // Validated at create time; this node may not have the template's trainer (the firing runs on any node).
        var trainer = template.RootElement.TryGetProperty("trainer", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "builtin";
        var spec = ScheduleTemplate.TryParse(template.RootElement, name, new StoredSpecCatalog(catalog, trainer), errors);
        if (spec is null)
        {
            // Happens only when the deployment changed (a data set removed).
            schedule.LastFireOutcome = $"failed: the template is no longer valid here: {errors}";
            await db.SaveChangesAsync(cancellationToken);
            LogTemplateInvalid(logger, schedule.Name, errors.ToString());
            return null;
        }

        var experiment = ExperimentFactory.Create(spec, ScheduleTemplate.WithName(schedule.TemplateJson, name), now,
            idempotencyKey: $"schedule:{scheduleId:N}:{fireTimeUtc.UtcTicks}", scheduleId: scheduleId);
        if (schedule.WarmStartTopK > 0)
        {
            var previous = await runs.Where(e => e.BestValue != null).FirstOrDefaultAsync(cancellationToken);
            if (previous is not null)
            {
                var trials = await db.Trials.AsNoTracking().Where(t => t.ExperimentId == previous.Id).ToListAsync(cancellationToken);
                experiment.WarmStartJson = WarmStart.From(trials, previous.Maximize, spec, schedule.WarmStartTopK);
            }
        }
        schedule.LastFireOutcome = $"created: {experiment.Id}";
        db.Experiments.Add(experiment);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            await using var check = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            if (!await check.Experiments.AnyAsync(e => e.IdempotencyKey == experiment.IdempotencyKey, CancellationToken.None)) throw;
            return null; // this firing already created its run (a recovered job ran twice)
        }
        jobs.TriggerController(experiment.Id);
        LogCreated(logger, schedule.Name, experiment.Id);
        return experiment.Id;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Name} created experiment {ExperimentId}")]
    private static partial void LogCreated(ILogger logger, string name, Guid experimentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Name} skipped a firing: run {ExperimentId} is still running")]
    private static partial void LogSkipped(ILogger logger, string name, Guid experimentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Schedule {Name} cannot create a run: {Errors}")]
    private static partial void LogTemplateInvalid(ILogger logger, string name, string errors);
}
