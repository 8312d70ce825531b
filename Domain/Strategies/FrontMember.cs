namespace HpSearch.Domain.Strategies;

/// <summary>A trial on an experiment's Pareto front and its objective values (in the spec's order of objectives).</summary>
public sealed record FrontMember(int Number, IReadOnlyList<double> Values);
