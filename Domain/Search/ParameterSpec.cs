namespace HpSearch.Domain.Search;

/// <summary>One searched parameter: its name, how it is drawn and its range or choices.</summary>
/// <param name="Log">For <see cref="ParameterKind.Int"/>: draw on a log scale.</param>
/// <param name="Points">For grid search over a continuous range: how many points to take.</param>
/// <param name="When">The condition under which the parameter exists; null = always.</param>
public sealed record ParameterSpec(
    string Name,
    ParameterKind Kind,
    double Low = 0,
    double High = 0,
    bool Log = false,
    IReadOnlyList<object>? Values = null,
    int? Points = null,
    ParameterCondition? When = null)
{
    public IReadOnlyList<object> Choices => Values ?? [];

    /// <summary>True when the parameter is searched on a log axis (log-uniform, or log int).</summary>
    public bool IsLogScale => Kind == ParameterKind.LogUniform || (Kind == ParameterKind.Int && Log);

    /// <summary>True when <paramref name="value"/> lies in this parameter's range or choices.</summary>
    public bool Contains(object value) => Kind switch
    {
        ParameterKind.LogUniform or ParameterKind.Uniform =>
            ParameterValue.AsDouble(value) is var d && d >= Low && d <= High,
        ParameterKind.Int => ParameterValue.AsDouble(value) is var i && i >= Low && i <= High && i == Math.Floor(i),
        _ => Choices.Any(c => ParameterValue.AsString(c) == ParameterValue.AsString(value)),
    };
}
