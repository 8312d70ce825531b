namespace HpSearch.Domain.Importance;

/// <summary>Parameter importances (summing to 1, largest first) and how they were computed.</summary>
/// <param name="Trials">How many finished trials the forest was fitted on.</param>
public sealed record ImportanceReport(string Method, int Trials, IReadOnlyList<ParameterShare> Parameters);
