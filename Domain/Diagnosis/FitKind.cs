namespace HpSearch.Domain.Diagnosis;

/// <summary>How a model fits, read from its smoothed learning curves.</summary>
public enum FitKind
{
    Unknown,
    Underfitting,
    Overfitting,
    GoodFit,
}
