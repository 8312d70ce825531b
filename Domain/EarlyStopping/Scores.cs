using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.EarlyStopping;

/// <summary>Objective values turned into "higher is better" scores, so the rules are written once for both
/// directions. A NaN or infinite value is the worst score (−∞). A store keeps each epoch's score (and their running sum) so
/// it can answer a <see cref="PeerQuestion"/> from one index.</summary>
public static class Scores
{
    public static double Of(double value, Objective objective) =>
        !double.IsFinite(value) ? double.NegativeInfinity : objective.Maximize ? value : -value;

    /// <summary>Back from a score to the objective's units (−∞ becomes NaN).</summary>
    public static double ToValue(double score, Objective objective) =>
        double.IsNegativeInfinity(score) ? double.NaN : objective.Maximize ? score : -score;

    /// <summary>The best score among the first <paramref name="epochs"/> values.</summary>
    public static double BestUpTo(IReadOnlyList<double> values, int epochs, Objective objective)
    {
        var best = double.NegativeInfinity;
        for (var i = 0; i < Math.Min(epochs, values.Count); i++) best = Math.Max(best, Of(values[i], objective));
        return best;
    }

    /// <summary>The median of <paramref name="scores"/> (the mean of the middle two for an even count).</summary>
    public static double Median(List<double> scores)
    {
        scores.Sort();
        var n = scores.Count;
        if (n % 2 == 1) return scores[n / 2];
        return (scores[n / 2 - 1] + scores[n / 2]) / 2;
    }

    public static string Format(double value) =>
        double.IsNaN(value) ? "NaN" : value.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
}
