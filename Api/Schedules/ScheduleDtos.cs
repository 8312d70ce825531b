using System.Text.Json;

namespace HpSearch.Api.Schedules;

/// <summary>A schedule as the API shows it, with the next firing (from the Hangfire recurring job; quartzCron is the six-field form with seconds it runs on) and its latest runs.</summary>
public sealed record ScheduleDto(
    Guid Id,
    string Name,
    string Cron,
    string QuartzCron,
    string TimeZone,
    bool Enabled,
    string MisfirePolicy,
    string OverlapPolicy,
    int WarmStartTopK,
    double RegressionMargin,
    JsonElement Template,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? NextFireTime,
    DateTimeOffset? LastFiredAt,
    string? LastFireOutcome,
    IReadOnlyList<ScheduleRunDto> Runs);

/// <summary>One run of a schedule: a point of the night-over-night series (best value, regression flag).</summary>
public sealed record ScheduleRunDto(
    Guid Id,
    string Name,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    double? BestValue,
    double? PreviousBestValue,
    bool? Regression,
    int WarmStartTrials);
