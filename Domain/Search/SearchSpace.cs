using System.Text.Json;
using HpSearch.Domain.Validation;

namespace HpSearch.Domain.Search;

/// <summary>The parameters a sweep searches over, in the order they were given.</summary>
public sealed class SearchSpace
{
    public SearchSpace(IEnumerable<ParameterSpec> parameters) => Parameters = parameters.ToList();

    /// <summary>Most values a categorical parameter may list.</summary>
    public const int MaxChoices = 1000;

    public IReadOnlyList<ParameterSpec> Parameters { get; }

    public ParameterSpec? this[string name] => Parameters.FirstOrDefault(p => p.Name == name);

    /// <summary>Parses <c>{"lr": {"type": "logUniform", "low": 1e-5, "high": 1e-1}, ...}</c>, naming every bad field.</summary>
    /// <param name="legacyFixedValues">Reads a bare value as a fixed parameter, as specs stored before that was refused did.</param>
    public static SearchSpace Parse(JsonElement json, SpecErrors errors, string path = "searchSpace", bool legacyFixedValues = false)
    {
        var list = new List<ParameterSpec>();
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, "must be an object of parameters.");
            return new SearchSpace(list);
        }
        foreach (var p in json.EnumerateObject())
        {
            var spec = ParseParameter(p.Name, p.Value, errors, JsonRead.Join(path, p.Name), legacyFixedValues);
            if (spec is not null) list.Add(spec);
        }
        return new SearchSpace(list);
    }

    private static ParameterSpec? ParseParameter(string name, JsonElement e, SpecErrors errors, string path, bool legacyFixedValues)
    {
        if (legacyFixedValues && e.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined))
            return new ParameterSpec(name, ParameterKind.Fixed, Values: [ParameterValue.FromJson(e)]);
        if (e.ValueKind != JsonValueKind.Object)
        {
            // A bare value would be ambiguous with a typo'd definition: fixed values go in params or {"type": "fixed"}.
            errors.Add(path, "must be a parameter definition object such as {\"type\": \"uniform\", \"low\": 0, \"high\": 1}; put fixed values in params.");
            return null;
        }

        var type = JsonRead.String(e, "type", JsonRead.Join(path, "type"), errors, required: true);
        if (type is null) return null;
        var kind = type switch
        {
            "logUniform" or "loguniform" or "log-uniform" => ParameterKind.LogUniform,
            "uniform" => ParameterKind.Uniform,
            "int" or "integer" => ParameterKind.Int,
            "categorical" or "choice" => ParameterKind.Categorical,
            "fixed" or "const" => ParameterKind.Fixed,
            _ => (ParameterKind?)null,
        };
        if (kind is null)
        {
            errors.Add(JsonRead.Join(path, "type"), $"'{type}' is not one of logUniform, uniform, int, categorical, fixed.");
            return null;
        }

        switch (kind)
        {
            case ParameterKind.LogUniform or ParameterKind.Uniform or ParameterKind.Int:
            {
                JsonRead.RejectUnknown(e, path, errors, "type", "low", "high", "log", "points");
                var low = JsonRead.Number(e, "low", JsonRead.Join(path, "low"), errors, required: true);
                var high = JsonRead.Number(e, "high", JsonRead.Join(path, "high"), errors, required: true);
                var log = JsonRead.Bool(e, "log", JsonRead.Join(path, "log"), errors) ?? false;
                var points = JsonRead.Int(e, "points", JsonRead.Join(path, "points"), errors);
                if (points is < 1 or > 1000) errors.Add(JsonRead.Join(path, "points"), "must be between 1 and 1000.");
                if (low is null || high is null) return null;
                var ok = true;
                if (low >= high)
                {
                    errors.Add(JsonRead.Join(path, "low"), $"must be less than high ({high}).");
                    ok = false;
                }
                var isLog = kind == ParameterKind.LogUniform || (kind == ParameterKind.Int && log);
                if (isLog && low <= 0)
                {
                    errors.Add(JsonRead.Join(path, "low"), "must be greater than 0 on a log scale.");
                    ok = false;
                }
                if (kind == ParameterKind.Int && (low != Math.Floor(low.Value) || high != Math.Floor(high.Value)))
                {
                    errors.Add(JsonRead.Join(path, "low"), "low and high must be whole numbers for an int parameter.");
                    ok = false;
                }
                return ok ? new ParameterSpec(name, kind.Value, low.Value, high.Value, log, null, points) : null;
            }
            case ParameterKind.Categorical:
            {
                JsonRead.RejectUnknown(e, path, errors, "type", "values");
                if (!JsonRead.TryGet(e, "values", out var values) || values.ValueKind != JsonValueKind.Array)
                {
                    errors.Add(JsonRead.Join(path, "values"), "must be a non-empty array.");
                    return null;
                }
                var list = values.EnumerateArray().Select(ParameterValue.FromJson).ToList();
                if (list.Count == 0 || list.Count > MaxChoices)
                {
                    errors.Add(JsonRead.Join(path, "values"), $"must be an array of 1 to {MaxChoices} values.");
                    return null;
                }
                if (!legacyFixedValues && values.EnumerateArray().Select(v => v.ValueKind is JsonValueKind.True or JsonValueKind.False ? JsonValueKind.True : v.ValueKind).Distinct().Count() > 1)
                {
                    errors.Add(JsonRead.Join(path, "values"), "must all be of one type (all numbers, all strings, all booleans or all arrays).");
                    return null;
                }
                var texts = values.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : v.GetRawText()).ToList();
                if (!legacyFixedValues && texts.Distinct(StringComparer.Ordinal).Count() != texts.Count)
                {
                    errors.Add(JsonRead.Join(path, "values"), "must not repeat a value.");
                    return null;
                }
                return new ParameterSpec(name, ParameterKind.Categorical, Values: list);
            }
            default:
            {
                JsonRead.RejectUnknown(e, path, errors, "type", "value");
                if (!JsonRead.TryGet(e, "value", out var value))
                {
                    errors.Add(JsonRead.Join(path, "value"), "is required for a fixed parameter.");
                    return null;
                }
                return new ParameterSpec(name, ParameterKind.Fixed, Values: [ParameterValue.FromJson(value)]);
            }
        }
    }
}
