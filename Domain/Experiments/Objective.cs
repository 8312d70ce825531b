namespace HpSearch.Domain.Experiments;

/// <summary>The metric a sweep optimises and in which direction.</summary>
public sealed record Objective(string Metric, bool Maximize)
{
    public static readonly IReadOnlyList<string> KnownMetrics = ["valAccuracy", "valLoss", "trainLoss", "trainAccuracy"];

    /// <summary>True when <paramref name="a"/> is strictly better than <paramref name="b"/>.</summary>
    public bool IsBetter(double a, double b) => Maximize ? a > b : a < b;

    /// <summary>The best of a sequence of values (NaN ignored); null when there is none.</summary>
    public double? Best(IEnumerable<double> values)
    {
        double? best = null;
        foreach (var v in values)
            if (double.IsFinite(v) && (best is null || IsBetter(v, best.Value)))
                best = v;
        return best;
    }
}
