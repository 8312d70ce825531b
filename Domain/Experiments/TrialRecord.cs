using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Experiments;

/// <summary>A trial as the strategies and stopping rules see it: what was asked and what happened.</summary>
/// <param name="Summary">Trial-level results that are not per epoch (e.g. initialLoss, trainAccuracy on a subset).</param>
/// <param name="MaxEpochs">The epochs the trial was asked for (its request's MaxEpochs); null = the budget's maxEpochs.</param>
public sealed record TrialRecord(
    int Number,
    TrialStatus Status,
    IReadOnlyDictionary<string, object> Params,
    IReadOnlyList<EpochPoint> Epochs,
    string? Stage = null,
    TrialOptions? Options = null,
    IReadOnlyDictionary<string, double>? Summary = null,
    int? MaxEpochs = null)
{
    public IReadOnlyDictionary<string, double> SummaryOrEmpty => Summary ?? new Dictionary<string, double>();

    /// <summary>The best value of <paramref name="objective"/> over the trial's epochs; null when none is finite.</summary>
    public double? BestValue(Objective objective) => objective.Best(Epochs.Select(e => e.Get(objective.Metric)));

    /// <summary>The trial's values of several objectives, all read at one epoch: among the epochs where every objective is
    /// finite, the one with the best value of the first objective (ties: the earlier epoch), as the single-objective best
    /// and the kept checkpoint are. Null when no epoch reports them all.</summary>
    public double[]? ObjectiveValues(IReadOnlyList<Objective> objectives)
    {
        double[]? best = null;
        foreach (var e in Epochs)
        {
            var values = objectives.Select(o => e.Get(o.Metric)).ToArray();
            if (!values.All(double.IsFinite)) continue;
            if (best is null || objectives[0].IsBetter(values[0], best[0])) best = values;
        }
        return best;
    }

    /// <summary>The metric at the last epoch (NaN when there is none).</summary>
    public double Last(string metric) => Epochs.Count == 0 ? double.NaN : Epochs[^1].Get(metric);
}
