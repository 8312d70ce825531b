using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.Strategies;

/// <summary>Chooses the trial an experiment reports as its result.</summary>
public static class BestTrial
{
    /// <summary>The completed trial with the best objective value (ties: the earlier trial); if none completed, the best pruned one.
    /// Diagnostic runs (the six-step recipe's subset, finder and regularization-off trials) are never the result.</summary>
    public static TrialRecord? Choose(IEnumerable<TrialRecord> trials, Objective objective) => Rank(trials, objective).FirstOrDefault();

    /// <summary>The trials that can be the result, best first: completed ones by objective value (ties: the earlier trial),
    /// then pruned ones the same way. Trials without a finite value and diagnostic runs are left out.</summary>
    public static IReadOnlyList<TrialRecord> Rank(IEnumerable<TrialRecord> trials, Objective objective)
    {
        var list = trials.Where(t => t.Options is not { IsDiagnostic: true }).ToList();
        return Ordered(list.Where(t => t.Status == TrialStatus.Completed), objective)
            .Concat(Ordered(list.Where(t => t.Status == TrialStatus.Pruned), objective)).ToList();
    }

    private static IEnumerable<TrialRecord> Ordered(IEnumerable<TrialRecord> trials, Objective objective)
    {
        var valued = trials.Select(t => (Trial: t, Value: t.BestValue(objective))).Where(x => x.Value is not null).ToList();
        var byValue = objective.Maximize
            ? valued.OrderByDescending(x => x.Value!.Value)
            : valued.OrderBy(x => x.Value!.Value);
        return byValue.ThenBy(x => x.Trial.Number).Select(x => x.Trial);
    }
}
