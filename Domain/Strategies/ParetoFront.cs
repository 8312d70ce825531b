using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.Strategies;

/// <summary>
/// Pareto dominance over several objectives (Deb et al., "A fast and elitist multiobjective genetic algorithm: NSGA-II",
/// IEEE TEC 2002, https://doi.org/10.1109/4235.996017). A trial dominates another when it is at least as good on every
/// objective and strictly better on one; equal vectors dominate neither, so duplicates share a front.
/// </summary>
public static class ParetoFront
{
    /// <summary>True when loss vector <paramref name="a"/> dominates <paramref name="b"/> (smaller is better in every place).</summary>
    public static bool Dominates(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var strictly = false;
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i] > b[i]) return false;
            if (a[i] < b[i]) strictly = true;
        }
        return strictly;
    }

    /// <summary>The non-dominated completed trials, by trial number. Diagnostic runs and trials without a value of every
    /// objective (see <see cref="TrialRecord.ObjectiveValues"/>) are not candidates; pruned, diverged and failed ones never are.</summary>
    public static IReadOnlyList<FrontMember> Of(IEnumerable<TrialRecord> trials, IReadOnlyList<Objective> objectives)
    {
        var candidates = trials
            .Where(t => t.Status == TrialStatus.Completed && t.Options is not { IsDiagnostic: true })
            .Select(t => (t.Number, Values: t.ObjectiveValues(objectives)))
            .Where(x => x.Values is not null)
            .OrderBy(x => x.Number)
            .ToList();
        var losses = candidates.Select(c => Losses(c.Values!, objectives)).ToList();
        var ranks = Ranks(losses);
        return candidates.Where((_, i) => ranks[i] == 0).Select(c => new FrontMember(c.Number, c.Values!)).ToList();
    }

    /// <summary>The values as losses (smaller is better) for <see cref="Dominates"/>.</summary>
    public static double[] Losses(IReadOnlyList<double> values, IReadOnlyList<Objective> objectives) =>
        values.Select((v, i) => objectives[i].AsLoss(v)).ToArray();

    /// <summary>Each loss vector's non-domination rank: 0 for the front, 1 for the front once rank 0 is removed, and so on.</summary>
    public static int[] Ranks(IReadOnlyList<IReadOnlyList<double>> losses)
    {
        var ranks = Enumerable.Repeat(-1, losses.Count).ToArray();
        for (var rank = 0; ranks.Contains(-1); rank++)
        {
            var open = Enumerable.Range(0, losses.Count).Where(i => ranks[i] == -1).ToList();
            var layer = open.Where(i => !open.Any(j => j != i && Dominates(losses[j], losses[i]))).ToList();
            foreach (var i in layer) ranks[i] = rank;
        }
        return ranks;
    }
}
