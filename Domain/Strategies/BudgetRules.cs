using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.Strategies;

/// <summary>Budget checks every strategy shares: failed-trial limit, target value and time limit.</summary>
public static class BudgetRules
{
    /// <summary>Non-null when the experiment must ask for no more trials; <c>Failure</c> is set when it must fail.</summary>
    public static (string? Failure, string Reason)? Exhausted(ExperimentSpec spec, IReadOnlyList<TrialRecord> trials) =>
        Exhausted(spec, trials, TimeSpan.Zero);

    /// <summary>As <see cref="Exhausted(ExperimentSpec, IReadOnlyList{TrialRecord})"/>, and also stops (without failing)
    /// once <paramref name="elapsed"/> (the caller's clock: time since the experiment started) reaches
    /// <c>budget.timeLimitSeconds</c>. Running trials finish; no new ones start.</summary>
    public static (string? Failure, string Reason)? Exhausted(ExperimentSpec spec, IReadOnlyList<TrialRecord> trials, TimeSpan elapsed)
    {
        // Only crashes count as failures: a diverged trial is a legitimate (bad) outcome of its parameters.
        var failed = trials.Count(t => t.Status == TrialStatus.Failed);
        if (failed > spec.Budget.MaxFailedTrials)
        {
            var reason = $"{failed} trials failed, more than budget.maxFailedTrials ({spec.Budget.MaxFailedTrials}).";
            return (reason, reason);
        }
        if (spec.Budget.TargetValue is { } target)
        {
            foreach (var t in trials)
                if (t.BestValue(spec.Objective) is { } v && (v == target || spec.Objective.IsBetter(v, target)))
                    return (null, $"trial {t.Number} reached the target value {target}.");
        }
        if (spec.Budget.TimeLimitSeconds is { } limit && elapsed.TotalSeconds >= limit)
            return (null, $"the time limit of {limit} s was reached ({elapsed.TotalSeconds:0} s elapsed).");
        return null;
    }
}
