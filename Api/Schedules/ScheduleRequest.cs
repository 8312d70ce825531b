using System.Text.Json;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Validation;
using HpSearch.Workers.Schedules;

namespace HpSearch.Api.Schedules;

/// <summary>The body of POST and PUT /api/schedules, validated at create time (not at 3 a.m.): every bad field named.</summary>
public sealed record ScheduleRequest(
    string Name,
    string Cron,
    string QuartzCron,
    string TimeZone,
    string TemplateJson,
    bool Enabled,
    string MisfirePolicy,
    string OverlapPolicy,
    int WarmStartTopK,
    double RegressionMargin)
{
    /// <summary>The fields the body may carry (the OpenAPI schema, <see cref="ScheduleBody"/>, lists the same).</summary>
    public static readonly IReadOnlyList<string> Fields =
        ["name", "cron", "timeZone", "template", "enabled", "misfirePolicy", "overlapPolicy", "warmStartTopK", "regressionMargin"];

    public static ScheduleRequest? TryParse(JsonElement json, ISpecCatalog catalog, SpecErrors errors, int minIntervalSeconds = 1)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add("$", "the body must be a JSON object.");
            return null;
        }
        JsonRead.RejectUnknown(json, "", errors, [.. Fields]);

        var name = JsonRead.String(json, "name", "name", errors, required: true);
        if (name is not null && (name.Trim().Length == 0 || name.Length > 160))
            errors.Add("name", "must be 1 to 160 characters.");

        var cron = JsonRead.String(json, "cron", "cron", errors, required: true);
        string? quartzCron = null;
        if (cron is not null)
        {
            quartzCron = CronText.ToSeconds(cron, out var cronError);
            if (cronError is not null) errors.Add("cron", cronError);
            else if (CronSpacing.MinSeconds(cron) is { } spacing && spacing < minIntervalSeconds)
                errors.Add("cron", $"fires every {spacing} s at times; the shortest accepted interval is {minIntervalSeconds} s.");
        }

        var timeZone = JsonRead.String(json, "timeZone", "timeZone", errors) ?? "UTC";
        TimeZoneInfo? zone = null;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            errors.Add("timeZone", $"unknown time zone '{timeZone}'; use an IANA id such as 'Europe/Paris' or 'UTC'.");
        }

        var enabled = JsonRead.Bool(json, "enabled", "enabled", errors) ?? true;
        var misfire = JsonRead.String(json, "misfirePolicy", "misfirePolicy", errors) ?? "skip";
        if (misfire is not ("skip" or "runOnce")) errors.Add("misfirePolicy", "must be 'skip' (missed firings are skipped) or 'runOnce' (one run after downtime).");
        var overlap = JsonRead.String(json, "overlapPolicy", "overlapPolicy", errors) ?? "skip";
        if (overlap is not ("skip" or "queue")) errors.Add("overlapPolicy", "must be 'skip' (no run while the previous one runs) or 'queue'.");
        var topK = JsonRead.Int(json, "warmStartTopK", "warmStartTopK", errors) ?? 0;
        if (topK is < 0 or > 100) errors.Add("warmStartTopK", "must be between 0 and 100.");
        var margin = JsonRead.Number(json, "regressionMargin", "regressionMargin", errors) ?? 0;
        if (!double.IsFinite(margin) || margin < 0) errors.Add("regressionMargin", "must be a number of at least 0.");

        string? templateJson = null;
        if (!JsonRead.TryGet(json, "template", out var template))
            errors.Add("template", "is required: an experiment spec (its name is optional; each run is named after the schedule and the date).");
        else
        {
            var spec = ScheduleTemplate.TryParse(template, $"{name ?? "schedule"} 2000-01-01 00:00:00", catalog, errors);
            if (spec is not null && topK > 0 && spec.Strategy.Kind != StrategyKind.Random)
                errors.Add("warmStartTopK", "a warm start needs the random strategy (a grid or the six-step recipe would restart their order).");
            templateJson = template.GetRawText();
            // The resolved pool is stored with the template: the firing node may not know the trainer's pool.
            if (spec is not null && System.Text.Json.Nodes.JsonNode.Parse(templateJson) is System.Text.Json.Nodes.JsonObject node && !node.ContainsKey("pool"))
            {
                node["pool"] = spec.Pool;
                templateJson = node.ToJsonString();
            }
        }

        if (!errors.IsEmpty || name is null || cron is null || quartzCron is null || zone is null || templateJson is null) return null;
        return new ScheduleRequest(name, cron, quartzCron, zone.Id, templateJson, enabled, misfire, overlap, topK, margin);
    }
}
