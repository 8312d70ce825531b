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

    /// <summary>The rule that decides a trial of stage <paramref name="stage"/> with <paramref name="maxEpochs"/> epochs (else the
    /// budget's) under <paramref name="spec"/>: null when nothing stops it early. In a Hyperband bracket, successive halving
    /// starts at the bracket's first rung r·η^s.</summary>
    public static IStoppingRule? For(ExperimentSpec spec, string? stage, int? maxEpochs)
    {
        var stopping = spec.EarlyStopping;
        if (spec.Strategy is { UsesBrackets: true, Hyperband: { } hb } && HyperbandOptions.BracketOf(stage) is { } s)
            stopping = stopping with { MinEpochs = hb.BracketMinEpochs(s) };
        return Create(stopping, spec.Objective, maxEpochs ?? spec.Budget.MaxEpochs);
    }

    /// <summary>The whole check from whole curves: null for a <see cref="Strategies.TrialOptions.NoStopping"/> trial or when no
    /// rule applies; else the trial's rule (<see cref="For"/>) asked about <paramref name="trial"/> against every other trial,
    /// each compared within its stage. The trial path asks the same rule with one figure instead (Persistence's TrialEpochs).</summary>
    public static StopDecision? Check(ExperimentSpec spec, TrialRecord trial, IReadOnlyList<TrialRecord> all)
    {
        if (trial.Options is { NoStopping: true }) return null;
        if (For(spec, trial.Stage, trial.MaxEpochs) is not { } rule) return null;
        var others = all.Where(t => t.Number != trial.Number).Select(t => TrialCurve.Of(t, spec.Objective)).ToList();
        return rule.ShouldStop(TrialCurve.Of(trial, spec.Objective), others);
    }
}
