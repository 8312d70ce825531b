namespace HpSearch.Domain.Search;

/// <summary>
/// When a parameter exists: every named parent (a categorical or fixed parameter of the same search space) holds one of
/// the listed values, and is itself active. <c>{"momentum": {..., "when": {"optimizer": ["sgd", "nesterov"]}}}</c>.
/// A trial where the condition does not hold has no value for the parameter at all (the trainer's default applies).
/// </summary>
public sealed record ParameterCondition(IReadOnlyList<ParentValues> Parents)
{
    /// <summary>True when every parent is present in <paramref name="values"/> with one of its listed values.</summary>
    public bool HoldsFor(IReadOnlyDictionary<string, object> values) =>
        Parents.All(p => values.TryGetValue(p.Parent, out var v) && p.Allows(v));

    /// <summary>A stable text of the condition (parents in order), to group parameters that exist together.</summary>
    public string Key => string.Join(";", Parents.Select(p => p.Parent + "=" + string.Join("|", p.Values.Select(ParameterValue.AsString))));
}

/// <summary>One parent of a condition and the values of it under which the child exists.</summary>
public sealed record ParentValues(string Parent, IReadOnlyList<object> Values)
{
    public bool Allows(object value)
    {
        var text = ParameterValue.AsString(value);
        return Values.Any(v => ParameterValue.AsString(v) == text);
    }
}
