namespace HpSearch.Domain.Importance;

/// <summary>One searched parameter's share of the explained variance of the objective, in [0, 1].</summary>
public sealed record ParameterShare(string Name, double Importance);
