namespace HpSearch.Domain.EarlyStopping;

/// <summary>A trial's objective value per epoch (index 0 = epoch 1), as the stopping rules read it.</summary>
public sealed record TrialCurve(int TrialNumber, IReadOnlyList<double> Values, bool Finished);
