using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.EarlyStopping;

/// <summary>The answer to a <see cref="PeerQuestion"/>, as <see cref="Scores"/> (higher is better, −∞ for a non-finite value).</summary>
/// <param name="Count">Trials counted: at the rung, the asking trial included (<see cref="PeerStatistic.RungThreshold"/>);
/// the others that reached the epoch (<see cref="PeerStatistic.MedianOfRunningMeans"/>).</param>
/// <param name="First">The rung's k-th best score; or the lower middle running-mean score (the middle one for an odd count).</param>
/// <param name="Second">The upper middle running-mean score for an even count; else equal to <paramref name="First"/>.</param>
public sealed record PeerAnswer(int Count, double First, double Second)
{
    /// <summary>The answer computed from whole curves: the reference a store's query must agree with (the rules'
    /// <see cref="IStoppingRule.ShouldStop"/> decides through it).</summary>
    public static PeerAnswer Of(PeerQuestion question, TrialCurve trial, IReadOnlyList<TrialCurve> others, Objective objective)
    {
        var t = question.Epoch;
        var reached = others.Where(o => trial.CompetesWith(o) && o.Epochs >= t);
        if (question.Statistic == PeerStatistic.RungThreshold)
        {
            var scores = reached.Select(o => Scores.Of(o.Values[t - 1], objective)).ToList();
            scores.Add(Scores.Of(trial.Values[t - 1], objective));
            scores.Sort((a, b) => b.CompareTo(a));
            var keep = Math.Max(1, scores.Count / question.ReductionFactor);
            return new PeerAnswer(scores.Count, scores[keep - 1], scores[keep - 1]);
        }

        var means = reached.Select(o => RunningMean(o.Values, t, objective)).ToList();
        if (means.Count == 0) return new PeerAnswer(0, double.NegativeInfinity, double.NegativeInfinity);
        means.Sort();
        var n = means.Count;
        return new PeerAnswer(n, means[(n - 1) / 2], means[n / 2]);
    }

    /// <summary>The mean score of the first <paramref name="t"/> epochs, summed in epoch order (a store keeps the same running
    /// sum): one non-finite epoch makes it −∞, so a diverged run is the worst comparator.</summary>
    public static double RunningMean(IReadOnlyList<double> values, int t, Objective objective)
    {
        double sum = 0;
        for (var i = 0; i < t; i++) sum += Scores.Of(values[i], objective);
        return sum / t;
    }
}
