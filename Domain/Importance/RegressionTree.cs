namespace HpSearch.Domain.Importance;

/// <summary>A CART regression tree on features scaled to [0, 1]; each leaf keeps its box (per-feature bounds), which
/// is what the functional-ANOVA decomposition integrates over.</summary>
internal sealed class RegressionTree
{
    public sealed record Leaf(double[] Low, double[] High, double Value);

    private const int MinLeaf = 2;
    private const int MaxDepth = 8;

    public List<Leaf> Leaves { get; } = [];
    /// <summary>Split thresholds per feature, for the marginal's intervals.</summary>
    public List<double>[] Splits { get; }

    public RegressionTree(double[][] x, double[] y, int[] rows, Random rng, int featuresPerSplit)
    {
        var d = x[0].Length;
        Splits = Enumerable.Range(0, d).Select(_ => new List<double>()).ToArray();
        Grow(x, y, rows, Enumerable.Repeat(0.0, d).ToArray(), Enumerable.Repeat(1.0, d).ToArray(), 0, rng, featuresPerSplit);
    }

    private void Grow(double[][] x, double[] y, int[] rows, double[] low, double[] high, int depth, Random rng, int featuresPerSplit)
    {
        var mean = rows.Average(r => y[r]);
        if (depth >= MaxDepth || rows.Length < 2 * MinLeaf || rows.All(r => y[r] == y[rows[0]]))
        {
            Leaves.Add(new Leaf(low, high, mean));
            return;
        }
        var d = low.Length;
        var features = Enumerable.Range(0, d).OrderBy(_ => rng.Next()).Take(featuresPerSplit);
        var (bestFeature, bestThreshold, bestSse) = (-1, 0.0, Sse(rows, y));
        foreach (var f in features)
        {
            var sorted = rows.OrderBy(r => x[r][f]).ToArray();
            double leftSum = 0, leftSq = 0, totalSum = sorted.Sum(r => y[r]), totalSq = sorted.Sum(r => y[r] * y[r]);
            for (var i = 0; i < sorted.Length - 1; i++)
            {
                var v = y[sorted[i]];
                (leftSum, leftSq) = (leftSum + v, leftSq + v * v);
                var nl = i + 1;
                var nr = sorted.Length - nl;
                if (nl < MinLeaf || nr < MinLeaf || x[sorted[i]][f] == x[sorted[i + 1]][f]) continue;
                var sse = leftSq - leftSum * leftSum / nl + (totalSq - leftSq) - (totalSum - leftSum) * (totalSum - leftSum) / nr;
                if (sse < bestSse - 1e-12)
                    (bestFeature, bestThreshold, bestSse) = (f, (x[sorted[i]][f] + x[sorted[i + 1]][f]) / 2, sse);
            }
        }
        if (bestFeature < 0)
        {
            Leaves.Add(new Leaf(low, high, mean));
            return;
        }
        Splits[bestFeature].Add(bestThreshold);
        var leftHigh = (double[])high.Clone();
        leftHigh[bestFeature] = bestThreshold;
        var rightLow = (double[])low.Clone();
        rightLow[bestFeature] = bestThreshold;
        Grow(x, y, rows.Where(r => x[r][bestFeature] < bestThreshold).ToArray(), low, leftHigh, depth + 1, rng, featuresPerSplit);
        Grow(x, y, rows.Where(r => x[r][bestFeature] >= bestThreshold).ToArray(), rightLow, high, depth + 1, rng, featuresPerSplit);
    }

    private static double Sse(int[] rows, double[] y)
    {
        var mean = rows.Average(r => y[r]);
        return rows.Sum(r => (y[r] - mean) * (y[r] - mean));
    }

    /// <summary>Total variance of the tree's prediction under the uniform measure on [0, 1]^d, and the first-order
    /// (main-effect) variance of each feature: the variance of its marginal prediction (Hutter et al. 2014).</summary>
    public (double Total, double[] Main) Decompose()
    {
        var d = Splits.Length;
        var mean = Leaves.Sum(l => l.Value * Volume(l, -1));
        var total = Leaves.Sum(l => Volume(l, -1) * (l.Value - mean) * (l.Value - mean));
        var main = new double[d];
        for (var f = 0; f < d; f++)
        {
            var cuts = Splits[f].Append(0).Append(1).Distinct().Order().ToList();
            for (var i = 0; i < cuts.Count - 1; i++)
            {
                var mid = (cuts[i] + cuts[i + 1]) / 2;
                var marginal = Leaves.Where(l => l.Low[f] <= mid && mid < l.High[f]).Sum(l => l.Value * Volume(l, f));
                main[f] += (cuts[i + 1] - cuts[i]) * (marginal - mean) * (marginal - mean);
            }
        }
        return (total, main);
    }

    /// <summary>The leaf box's volume, leaving out feature <paramref name="except"/> (−1: none).</summary>
    private static double Volume(Leaf l, int except)
    {
        double v = 1;
        for (var f = 0; f < l.Low.Length; f++)
            if (f != except) v *= l.High[f] - l.Low[f];
        return v;
    }
}
