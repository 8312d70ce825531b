using System.Text.Json;
using System.Text.Json.Nodes;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Validation;

namespace HpSearch.Workers.Schedules;

/// <summary>A schedule's experiment spec template: an ordinary spec whose <c>name</c> is optional (each run is named
/// <c>{schedule} {local date-time}</c>). Validated at create time against the real catalog, errors prefixed <c>template.</c>.</summary>
public static class ScheduleTemplate
{
    /// <summary>The spec JSON of one run: the template with the run's name.</summary>
    public static string WithName(string templateJson, string name)
    {
        var node = JsonNode.Parse(templateJson) as JsonObject ?? throw new JsonException("the template is not a JSON object.");
        node["name"] = name;
        return node.ToJsonString();
    }

    /// <summary>Parses the template as a run named <paramref name="runName"/> would be; errors land in <paramref name="errors"/> as <c>template.*</c>.</summary>
    public static ExperimentSpec? TryParse(JsonElement template, string runName, ISpecCatalog catalog, SpecErrors errors)
    {
        if (template.ValueKind != JsonValueKind.Object)
        {
            errors.Add("template", "must be an experiment spec (a JSON object).");
            return null;
        }
        var inner = new SpecErrors();
        using var doc = JsonDocument.Parse(WithName(template.GetRawText(), runName));
        var spec = ExperimentSpec.TryParse(doc.RootElement, catalog, inner);
        foreach (var (field, messages) in inner.ToDictionary())
            foreach (var m in messages)
                errors.Add(field == "$" ? "template" : $"template.{field}", m);
        return inner.IsEmpty ? spec : null;
    }

    /// <summary>The run's name: the schedule's name and the firing's local date and time.</summary>
    public static string RunName(string scheduleName, DateTimeOffset fireTimeUtc, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(fireTimeUtc, zone);
        var name = $"{scheduleName} {local:yyyy-MM-dd HH:mm:ss}";
        return name.Length <= 200 ? name : name[^200..];
    }
}
