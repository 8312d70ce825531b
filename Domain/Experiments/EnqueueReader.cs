using System.Text.Json;
using HpSearch.Domain.Search;
using HpSearch.Domain.Validation;

namespace HpSearch.Domain.Experiments;

/// <summary>Reads <c>strategy.enqueue</c>: configurations to try first (Optuna's enqueue_trial), each an object of searched
/// parameter values inside their ranges; parameters it leaves out are drawn by the strategy.</summary>
internal static class EnqueueReader
{
    public const int MaxConfigurations = 1000;

    public static IReadOnlyList<IReadOnlyDictionary<string, object>> Read(JsonElement a, SearchSpace space, SpecErrors errors, string path)
    {
        var list = new List<IReadOnlyDictionary<string, object>>();
        if (a.ValueKind != JsonValueKind.Array || a.GetArrayLength() is 0 or > MaxConfigurations)
        {
            errors.Add(path, $"must be an array of 1 to {MaxConfigurations} configurations.");
            return list;
        }
        var i = 0;
        foreach (var item in a.EnumerateArray())
        {
            var at = $"{path}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object || !item.EnumerateObject().Any())
            {
                errors.Add(at, "must be a non-empty object of parameter values.");
                continue;
            }
            var values = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var kv in item.EnumerateObject())
            {
                var field = JsonRead.Join(at, kv.Name);
                var p = space[kv.Name];
                var value = ParameterValue.FromJson(kv.Value);
                if (p is null) errors.Add(field, $"'{kv.Name}' is not in the search space.");
                else if (!Fits(p, value)) errors.Add(field, $"{kv.Value.GetRawText()} is outside the search space of '{kv.Name}'.");
                else values[kv.Name] = p.Kind is ParameterKind.LogUniform or ParameterKind.Uniform ? ParameterValue.AsDouble(value) : value;
            }
            // A configuration may name a conditional parameter only together with parent values under which it exists:
            // otherwise the trial would drop it and the configuration would never count as tried.
            foreach (var name in values.Keys.ToList())
                if (space[name] is { When: not null } p && !space.IsActive(p, values))
                    errors.Add(JsonRead.Join(at, name), $"'{name}' exists only when {Describe(p.When)}; name those values in this configuration too.");
            list.Add(values);
        }
        return list;
    }

    private static string Describe(ParameterCondition when) =>
        string.Join(" and ", when.Parents.Select(x => $"'{x.Parent}' is {string.Join(" or ", x.Values.Select(ParameterValue.AsString))}"));

    private static bool Fits(ParameterSpec p, object value)
    {
        try { return p.Contains(value); }
        catch (FormatException) { return false; }
    }
}
