using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.EarlyStopping;

/// <summary>Builds the stopping rule an experiment's spec asks for.</summary>
public static class StoppingRules
{
    /// <summary>The rule for <paramref name="spec"/>; null when nothing stops trials early.</summary>
    public static IStoppingRule? Create(EarlyStoppingSpec spec, Objective objective, int maxEpochs) => spec.Kind switch
    {
        StoppingKind.None when spec.Patience is null => null,
        _ => throw new NotSupportedException($"early stopping '{spec.Kind}' is not available yet."),
    };
}
