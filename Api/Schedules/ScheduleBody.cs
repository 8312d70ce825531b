using HpSearch.Api.Experiments;

namespace HpSearch.Api.Schedules;

/// <summary>The body of POST and PUT /api/schedules as the OpenAPI document shows it; <see cref="ScheduleRequest.TryParse"/>
/// reads the raw JSON (a test keeps the two field lists equal).</summary>
/// <param name="Cron">5 fields, or 6 with seconds first.</param>
/// <param name="TimeZone">An IANA id; default UTC.</param>
/// <param name="Template">The experiment spec each firing submits (its name is optional).</param>
/// <param name="MisfirePolicy">skip (default) or runOnce.</param>
/// <param name="OverlapPolicy">skip (default) or queue.</param>
/// <param name="WarmStartTopK">0–100: re-evaluate the previous run's best configurations first (random strategy).</param>
/// <param name="RegressionMargin">How much worse than the previous run counts as a regression (≥ 0).</param>
public sealed record ScheduleBody(
    string Name,
    string Cron,
    ExperimentSpecBody Template,
    string? TimeZone = "UTC",
    bool? Enabled = true,
    string? MisfirePolicy = "skip",
    string? OverlapPolicy = "skip",
    int? WarmStartTopK = 0,
    double? RegressionMargin = 0);
