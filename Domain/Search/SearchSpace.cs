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

    /// <summary>True when some parameter exists only under a condition.</summary>
    public bool IsConditional => Parameters.Any(p => p.When is not null);

    /// <summary>The parameters other parameters' conditions name, in the space's order.</summary>
    public IReadOnlyList<ParameterSpec> Parents =>
        Parameters.Where(p => Parameters.Any(c => c.When?.Parents.Any(x => x.Parent == p.Name) == true)).ToList();

    /// <summary>True when <paramref name="p"/> exists for these values: it has no condition, or its condition holds and
    /// each parent it names exists in turn.</summary>
    public bool IsActive(ParameterSpec p, IReadOnlyDictionary<string, object> values) => IsActive(p, values, 0);

    private bool IsActive(ParameterSpec p, IReadOnlyDictionary<string, object> values, int depth)
    {
        if (p.When is null) return true;
        if (depth > Parameters.Count || !p.When.HoldsFor(values)) return false; // parse refuses cycles; the depth check is a backstop
        return p.When.Parents.All(x => this[x.Parent] is not { } parent || IsActive(parent, values, depth + 1));
    }

    /// <summary><paramref name="values"/> without the search-space parameters that do not exist for them; names outside
    /// the space (an epoch count a stage sets, say) pass through. The one place a suggestion loses its inactive parameters.</summary>
    public IReadOnlyDictionary<string, object> ActiveOnly(IReadOnlyDictionary<string, object> values)
    {
        if (!IsConditional) return values;
        var kept = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
            if (this[name] is not { } p || IsActive(p, values)) kept[name] = value;
        return kept;
    }

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
        var space = new SearchSpace(list);
        space.CheckConditions(errors, path);
        return space;
    }

    /// <summary>Every parent a condition names is a categorical or fixed parameter of this space, each listed value one of
    /// its choices, and no parameter depends on itself through its parents.</summary>
    private void CheckConditions(SpecErrors errors, string path)
    {
        foreach (var p in Parameters.Where(p => p.When is not null))
        {
            foreach (var x in p.When!.Parents)
            {
                var at = $"{JsonRead.Join(path, p.Name)}.when.{x.Parent}";
                var parent = this[x.Parent];
                if (parent is null) errors.Add(at, $"'{x.Parent}' is not a parameter of the search space.");
                else if (parent.Kind is not (ParameterKind.Categorical or ParameterKind.Fixed))
                    errors.Add(at, $"'{x.Parent}' must be a categorical (or fixed) parameter to condition on.");
                else
                    foreach (var v in x.Values.Where(v => !parent.Contains(v)))
                        errors.Add(at, $"{ParameterValue.AsString(v)} is not one of '{x.Parent}''s values.");
            }
            if (DependsOn(p, p.Name, 0)) errors.Add($"{JsonRead.Join(path, p.Name)}.when", $"'{p.Name}' depends on itself through its conditions.");
        }
    }

    private bool DependsOn(ParameterSpec p, string name, int depth) =>
        depth <= Parameters.Count && p.When is not null
        && p.When.Parents.Any(x => x.Parent == name || (this[x.Parent] is { } parent && DependsOn(parent, name, depth + 1)));

    private static ParameterCondition? ParseCondition(JsonElement e, SpecErrors errors, string path)
    {
        if (!JsonRead.TryGet(e, "when", out var w)) return null;
        var at = JsonRead.Join(path, "when");
        if (w.ValueKind != JsonValueKind.Object || !w.EnumerateObject().Any())
        {
            errors.Add(at, "must be an object naming parents and their values, such as {\"optimizer\": [\"sgd\", \"nesterov\"]}.");
            return null;
        }
        var parents = new List<ParentValues>();
        foreach (var kv in w.EnumerateObject())
        {
            var values = kv.Value.ValueKind == JsonValueKind.Array ? kv.Value.EnumerateArray().ToList() : [kv.Value];
            if (values.Count is 0 or > MaxChoices || values.Any(v => v.ValueKind is JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null))
            {
                errors.Add(JsonRead.Join(at, kv.Name), $"must be a value or an array of 1 to {MaxChoices} values of the parent.");
                continue;
            }
            parents.Add(new ParentValues(kv.Name, values.Select(ParameterValue.FromJson).ToList()));
        }
        return parents.Count == 0 ? null : new ParameterCondition(parents);
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
                JsonRead.RejectUnknown(e, path, errors, "type", "low", "high", "log", "points", "when");
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
                return ok ? new ParameterSpec(name, kind.Value, low.Value, high.Value, log, null, points, ParseCondition(e, errors, path)) : null;
            }
            case ParameterKind.Categorical:
            {
                JsonRead.RejectUnknown(e, path, errors, "type", "values", "when");
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
                return new ParameterSpec(name, ParameterKind.Categorical, Values: list, When: ParseCondition(e, errors, path));
            }
            default:
            {
                JsonRead.RejectUnknown(e, path, errors, "type", "value", "when");
                if (!JsonRead.TryGet(e, "value", out var value))
                {
                    errors.Add(JsonRead.Join(path, "value"), "is required for a fixed parameter.");
                    return null;
                }
                return new ParameterSpec(name, ParameterKind.Fixed, Values: [ParameterValue.FromJson(value)], When: ParseCondition(e, errors, path));
            }
        }
    }
}
