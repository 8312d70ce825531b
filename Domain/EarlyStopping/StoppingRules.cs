using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.EarlyStopping;

/// <summary>Builds the stopping rule an experiment's spec asks for (docs/decisions/0003-stopping-rules.md).</summary>
public static class StoppingRules
{
    /// <summary>Patience used when the kind is <see cref="StoppingKind.Patience"/> and no patience is given.</summary>
    public const int DefaultPatience = 3;

    /// <summary>The rule for <paramref name="spec"/>; null when nothing stops trials early. A cross-trial rule
    /// (median, ASHA) with <c>patience</c> set is combined with patience: the cross-trial rule is asked first.</summary>
    public static IStoppingRule? Create(EarlyStoppingSpec spec, Objective objective, int maxEpochs)
    {
        IStoppingRule? across = spec.Kind switch
        {
            StoppingKind.Median => new MedianRule(objective, spec.StartupTrials, spec.WarmupEpochs),
            StoppingKind.Asha => new AshaRule(objective, spec.MinEpochs, spec.ReductionFactor, maxEpochs),
            _ => null,
        };
        var patience = spec.Patience ?? (spec.Kind == StoppingKind.Patience ? DefaultPatience : null);
        IStoppingRule? within = patience is { } p ? new PatienceRule(p, spec.MinDelta, objective) : null;
        return (across, within) switch
        {
            (null, null) => null,
            (not null, null) => across,
            (null, not null) => within,
            _ => new FirstStopRule([across, within]),
        };
    }
}
