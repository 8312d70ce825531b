using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.Strategies;

/// <summary>Budget checks every strategy shares: failed-trial limit and target value.</summary>
public static class BudgetRules
{
    /// <summary>Non-null when the experiment must ask for no more trials; <c>Failure</c> is set when it must fail.</summary>
    public static (string? Failure, string Reason)? Exhausted(ExperimentSpec spec, IReadOnlyList<TrialRecord> trials)
    {
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
        return null;
    }
}
