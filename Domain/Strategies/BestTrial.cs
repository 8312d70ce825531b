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

    /// <summary>With several objectives: the front member best on the first objective (ties: the earlier trial), so the
    /// chosen trial is never dominated; with one, or while the front is empty, as <see cref="Choose(IEnumerable{TrialRecord}, Objective)"/>.</summary>
    public static TrialRecord? Choose(IReadOnlyList<TrialRecord> trials, IReadOnlyList<Objective> objectives)
    {
        if (objectives.Count == 1) return Choose(trials, objectives[0]);
        var front = ParetoFront.Of(trials, objectives);
        if (front.Count == 0) return Choose(trials, objectives[0]);
        var best = front[0];
        foreach (var m in front.Skip(1))
            if (objectives[0].IsBetter(m.Values[0], best.Values[0])) best = m;
        return trials.First(t => t.Number == best.Number);
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
