using System.Text.Json;
using HpSearch.Domain.Parameters;
using HpSearch.Domain.Validation;

namespace HpSearch.Domain.Experiments;

/// <summary>Reads a spec's <c>objective</c> (one) or <c>objectives</c> (one to <see cref="Objective.MaxObjectives"/>), checking
/// each metric against the trainer's declared metrics where it declares them and against the free-form name rule otherwise.</summary>
public static class ObjectivesReader
{
    public static readonly Objective Default = new("valAccuracy", true);

    public static IReadOnlyList<Objective> Read(JsonElement spec, ParameterSchema? schema, string trainer, SpecErrors errors)
    {
        var hasOne = JsonRead.TryGet(spec, "objective", out var one);
        var hasMany = JsonRead.TryGet(spec, "objectives", out var many);
        if (hasOne && hasMany)
        {
            errors.Add("objectives", "give either 'objective' or 'objectives', not both.");
            return [Default];
        }
        if (hasOne) return [ReadOne(one, "objective", schema, trainer, errors)];
        if (!hasMany) return [Default];
        if (many.ValueKind != JsonValueKind.Array)
        {
            errors.Add("objectives", "must be an array of objects with metric and direction.");
            return [Default];
        }
        var count = many.GetArrayLength();
        if (count is < 1 or > Objective.MaxObjectives)
        {
            errors.Add("objectives", $"must hold 1 to {Objective.MaxObjectives} objectives.");
            if (count < 1) return [Default];
        }
        var list = new List<Objective>();
        var i = 0;
        foreach (var o in many.EnumerateArray())
        {
            var path = $"objectives[{i++}]";
            var objective = ReadOne(o, path, schema, trainer, errors);
            if (list.Any(x => x.Metric == objective.Metric))
                errors.Add($"{path}.metric", $"'{objective.Metric}' is already an objective.");
            list.Add(objective);
        }
        return list;
    }

    private static Objective ReadOne(JsonElement o, string path, ParameterSchema? schema, string trainer, SpecErrors errors)
    {
        if (o.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, "must be an object with metric and direction.");
            return Default;
        }
        JsonRead.RejectUnknown(o, path, errors, "metric", "direction");
        var metricPath = JsonRead.Join(path, "metric");
        var metric = JsonRead.String(o, "metric", metricPath, errors) ?? Default.Metric;
        if (Objective.NameProblem(metric) is { } problem) errors.Add(metricPath, problem);
        else if (metric.StartsWith("test", StringComparison.Ordinal))
            errors.Add(metricPath, "the test split is measured once, on the chosen trial: optimise a validation or training metric.");
        else if (schema?.Metrics is { } known && !known.Contains(metric))
            errors.Add(metricPath, $"trainer '{trainer}' does not report '{metric}'; it reports {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
        var direction = JsonRead.String(o, "direction", JsonRead.Join(path, "direction"), errors)
                        ?? (Objective.DefaultMaximize(metric) ? "maximize" : "minimize");
        if (direction is not ("maximize" or "minimize"))
            errors.Add(JsonRead.Join(path, "direction"), "must be 'maximize' or 'minimize'.");
        return new Objective(metric, direction == "maximize");
    }
}
