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

    /// <summary>With several objectives: the front's members best first on the first objective (the chosen trial first), then
    /// the other trials as <see cref="Rank(IEnumerable{TrialRecord}, Objective)"/> on the first objective; with one, that rank.</summary>
    public static IReadOnlyList<TrialRecord> Rank(IReadOnlyList<TrialRecord> trials, IReadOnlyList<Objective> objectives)
    {
        if (objectives.Count == 1) return Rank(trials, objectives[0]);
        var first = objectives[0];
        var front = ParetoFront.Of(trials, objectives)
            .OrderBy(m => m.Values[0], Comparer<double>.Create((a, b) => first.IsBetter(a, b) ? -1 : first.IsBetter(b, a) ? 1 : 0))
            .ThenBy(m => m.Number).Select(m => m.Number).ToList();
        var onFront = front.ToHashSet();
        var byNumber = trials.ToDictionary(t => t.Number);
        return front.Select(n => byNumber[n]).Concat(Rank(trials, first).Where(t => !onFront.Contains(t.Number))).ToList();
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
