using HpSearch.Api.Auth;
using HpSearch.Api.Trials;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Validation;
using HpSearch.Persistence;
using HpSearch.Persistence.Model;
using HpSearch.Workers.Schedules;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HpSearch.Api.Schedules;

/// <summary>Cron (nightly) sweeps: each firing creates an ordinary experiment from the template, linked to the schedule.</summary>
public static class SchedulesApi
{
    /// <summary>How many of the latest runs a schedule shows (the night-over-night series).</summary>
    public const int RunsShown = 60;

    public static IEndpointRouteBuilder MapSchedulesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/schedules").WithTags("Schedules");
        group.MapPost("/", CreateSchedule).WithName("CreateSchedule").RequireApiKey().WithSummary("Create a schedule")
            .Accepts<ScheduleBody>("application/json").Produces<ScheduleDto>(StatusCodes.Status201Created).ProducesValidationProblem();
        group.MapGet("/", ListSchedules).WithName("ListSchedules").WithSummary("List schedules with their latest runs");
        group.MapGet("/{id:guid}", GetSchedule).WithName("GetSchedule").WithSummary("Get a schedule with its runs")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:guid}", UpdateSchedule).WithName("UpdateSchedule").RequireApiKey()
            .WithSummary("Replace a schedule (pause or resume with enabled)")
            .Accepts<ScheduleBody>("application/json").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id:guid}", DeleteSchedule).WithName("DeleteSchedule").RequireApiKey().WithSummary("Delete a schedule")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Created<ScheduleDto>, ValidationProblem>> CreateSchedule(
        HttpRequest http, HpSearchDb db, ISpecCatalog catalog, RecurringSchedules triggers, TimeProvider clock, IOptions<ScheduleOptions> limits,
        CancellationToken cancellationToken)
    {
        var (json, errors) = await JsonBody.ReadAsync(http, cancellationToken);
        if (json is null) return TypedResults.ValidationProblem(errors.ToDictionary());
        using var body = json;
        var request = ScheduleRequest.TryParse(body.RootElement, catalog, errors, limits.Value.MinIntervalSeconds);
        if (request is null) return TypedResults.ValidationProblem(errors.ToDictionary());
        var now = clock.GetUtcNow();
        var schedule = new Schedule
        {
            Id = Guid.CreateVersion7(),
            Name = request.Name, Cron = request.Cron, QuartzCron = request.QuartzCron, TimeZone = request.TimeZone,
            TemplateJson = request.TemplateJson, MisfirePolicy = request.MisfirePolicy, OverlapPolicy = request.OverlapPolicy,
            CreatedAt = now, UpdatedAt = now,
        };
        Apply(schedule, request, now);
        db.Schedules.Add(schedule);
        await db.SaveChangesAsync(cancellationToken);
        triggers.Put(schedule);
        return TypedResults.Created($"/api/schedules/{schedule.Id}", await ToDtoAsync(db, triggers, schedule, cancellationToken));
    }

    public static async Task<Ok<List<ScheduleDto>>> ListSchedules(HpSearchDb db, RecurringSchedules triggers, CancellationToken cancellationToken)
    {
        var schedules = await db.Schedules.AsNoTracking().OrderByDescending(s => s.CreatedAt).ToListAsync(cancellationToken);
        var result = new List<ScheduleDto>(schedules.Count);
        foreach (var s in schedules) result.Add(await ToDtoAsync(db, triggers, s, cancellationToken, runs: 10));
        return TypedResults.Ok(result);
    }

    public static async Task<Results<Ok<ScheduleDto>, ProblemHttpResult>> GetSchedule(
        Guid id, HpSearchDb db, RecurringSchedules triggers, CancellationToken cancellationToken)
    {
        var s = await db.Schedules.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, cancellationToken);
        return s is null
            ? TypedResults.Problem(Problems.NotFound($"schedule {id} does not exist."))
            : TypedResults.Ok(await ToDtoAsync(db, triggers, s, cancellationToken));
    }

    /// <summary>Replaces a schedule (same body as create); the trigger is rebuilt, its runs stay linked.</summary>
    public static async Task<Results<Ok<ScheduleDto>, ValidationProblem, ProblemHttpResult>> UpdateSchedule(
        Guid id, HttpRequest http, HpSearchDb db, ISpecCatalog catalog, RecurringSchedules triggers, TimeProvider clock,
        IOptions<ScheduleOptions> limits, CancellationToken cancellationToken)
    {
        var (json, errors) = await JsonBody.ReadAsync(http, cancellationToken);
        if (json is null) return TypedResults.ValidationProblem(errors.ToDictionary());
        using var body = json;
        var schedule = await db.Schedules.SingleOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (schedule is null) return TypedResults.Problem(Problems.NotFound($"schedule {id} does not exist."));
        var request = ScheduleRequest.TryParse(body.RootElement, catalog, errors, limits.Value.MinIntervalSeconds);
        if (request is null) return TypedResults.ValidationProblem(errors.ToDictionary());
        Apply(schedule, request, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        triggers.Put(schedule);
        return TypedResults.Ok(await ToDtoAsync(db, triggers, schedule, cancellationToken));
    }

    /// <summary>Deletes the schedule and its trigger; the experiments it created stay (with their schedule id).</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteSchedule(
        Guid id, HpSearchDb db, RecurringSchedules triggers, CancellationToken cancellationToken)
    {
        var deleted = await db.Schedules.Where(x => x.Id == id).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0) return TypedResults.Problem(Problems.NotFound($"schedule {id} does not exist."));
        triggers.Delete(id);
        return TypedResults.NoContent();
    }

    private static void Apply(Schedule s, ScheduleRequest r, DateTimeOffset now)
    {
        s.Name = r.Name;
        s.Cron = r.Cron;
        s.QuartzCron = r.QuartzCron;
        s.TimeZone = r.TimeZone;
        s.TemplateJson = r.TemplateJson;
        s.Enabled = r.Enabled;
        s.MisfirePolicy = r.MisfirePolicy;
        s.OverlapPolicy = r.OverlapPolicy;
        s.WarmStartTopK = r.WarmStartTopK;
        s.RegressionMargin = r.RegressionMargin;
        s.UpdatedAt = now;
    }

    private static async Task<ScheduleDto> ToDtoAsync(HpSearchDb db, RecurringSchedules triggers, Schedule s, CancellationToken cancellationToken, int runs = RunsShown)
    {
        var latest = await db.Experiments.AsNoTracking().Where(e => e.ScheduleId == s.Id)
            .OrderByDescending(e => e.CreatedAt).Take(runs).ToListAsync(cancellationToken);
        // Oldest first: the runs read as a series (night over night).
        var series = latest.OrderBy(e => e.CreatedAt).Select(e => new ScheduleRunDto(e.Id, e.Name, e.Status.ToWire(), e.CreatedAt, e.FinishedAt,
            e.BestValue, e.PreviousBestValue, e.Regression, WarmStart.Parse(e.WarmStartJson).Count)).ToList();
        var next = s.Enabled ? triggers.NextFireTime(s.Id) : null;
        return new ScheduleDto(s.Id, s.Name, s.Cron, s.QuartzCron, s.TimeZone, s.Enabled, s.MisfirePolicy, s.OverlapPolicy,
            s.WarmStartTopK, s.RegressionMargin, TrialQueries.Parse(s.TemplateJson)!.Value, s.CreatedAt, s.UpdatedAt, next,
            s.LastFiredAt, s.LastFireOutcome, series);
    }
}
