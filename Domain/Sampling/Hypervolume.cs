namespace HpSearch.Domain.Sampling;

/// <summary>
/// The exact hypervolume of loss vectors (minimisation) against a reference point, by slicing one dimension at a time
/// (While et al., "A faster algorithm for calculating hypervolume", IEEE TEC 2006, https://doi.org/10.1109/TEVC.2005.851275):
/// O(n^(d-1) log n), fine for the few objectives (≤ 3) and the few hundred trials of a sweep.
/// </summary>
public static class Hypervolume
{
    /// <summary>The volume dominated by <paramref name="points"/> and bounded by <paramref name="reference"/>; points not
    /// below the reference in every dimension add nothing.</summary>
    public static double Of(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<double> reference)
    {
        var inside = points.Where(p => p.Select((v, i) => v < reference[i]).All(b => b)).ToList();
        return Slice(inside, reference, reference.Count);
    }

    /// <summary>What each point adds alone: the hypervolume of all minus that of all but it (0 for a dominated point or a
    /// duplicate).</summary>
    public static double[] Contributions(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<double> reference)
    {
        var total = Of(points, reference);
        return points.Select((_, i) => Math.Max(0, total - Of(points.Where((_, j) => j != i).ToList(), reference))).ToArray();
    }

    private static double Slice(List<IReadOnlyList<double>> points, IReadOnlyList<double> reference, int dims)
    {
        if (points.Count == 0) return 0;
        var last = dims - 1;
        if (dims == 1) return reference[0] - points.Min(p => p[0]);
        // Sweep the last dimension upward: between consecutive values the slice is the (d-1)-volume of the points seen so far.
        var sorted = points.OrderBy(p => p[last]).ToList();
        double volume = 0;
        for (var i = 0; i < sorted.Count; i++)
        {
            var top = i + 1 < sorted.Count ? sorted[i + 1][last] : reference[last];
            var height = top - sorted[i][last];
            if (height > 0) volume += height * Slice(sorted.Take(i + 1).ToList(), reference, last);
        }
        return volume;
    }
}
