using HpSearch.Domain.Experiments;
using HpSearch.Domain.Strategies;

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

    /// <summary>The whole check the trial job makes after an epoch: null for a <see cref="Strategies.TrialOptions.NoStopping"/>
    /// trial or when no rule applies; else the spec's rule, with the trial's own MaxEpochs (else the budget's) for the
    /// rungs, asked about <paramref name="trial"/> against every other trial, each compared within its stage.</summary>
    public static StopDecision? Check(ExperimentSpec spec, TrialRecord trial, IReadOnlyList<TrialRecord> all)
    {
        if (trial.Options is { NoStopping: true }) return null;
        var stopping = spec.EarlyStopping;
        // A Hyperband bracket is successive halving whose first rung is r·η^s epochs.
        if (spec.Strategy is { UsesBrackets: true, Hyperband: { } hb } && HyperbandOptions.BracketOf(trial.Stage) is { } s)
            stopping = stopping with { MinEpochs = hb.BracketMinEpochs(s) };
        var rule = Create(stopping, spec.Objective, trial.MaxEpochs ?? spec.Budget.MaxEpochs);
        if (rule is null) return null;
        var others = all.Where(t => t.Number != trial.Number).Select(t => TrialCurve.Of(t, spec.Objective)).ToList();
        return rule.ShouldStop(TrialCurve.Of(trial, spec.Objective), others);
    }
}
