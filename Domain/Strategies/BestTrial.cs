using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.Strategies;

/// <summary>Chooses the result of an experiment on the validation objective (never on test data).</summary>
public static class BestTrial
{
    /// <summary>The completed trial with the best objective value (ties: the earlier trial); if none completed, the best pruned one.
    /// Diagnostic runs (the six-step recipe's subset, finder and regularization-off trials) are never the result.</summary>
    public static TrialRecord? Choose(IEnumerable<TrialRecord> trials, Objective objective)
    {
        var list = trials.Where(t => t.Options is not { IsDiagnostic: true }).ToList();
        return Pick(list.Where(t => t.Status == TrialStatus.Completed), objective)
               ?? Pick(list.Where(t => t.Status == TrialStatus.Pruned), objective);
    }

    private static TrialRecord? Pick(IEnumerable<TrialRecord> trials, Objective objective)
    {
        TrialRecord? best = null;
        double bestValue = 0;
        foreach (var t in trials.OrderBy(t => t.Number))
        {
            if (t.BestValue(objective) is not { } v) continue;
            if (best is null || objective.IsBetter(v, bestValue))
            {
                best = t;
                bestValue = v;
            }
        }
        return best;
    }
}
