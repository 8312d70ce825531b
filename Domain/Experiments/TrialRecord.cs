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

    /// <summary>The metric at the last epoch (NaN when there is none).</summary>
    public double Last(string metric) => Epochs.Count == 0 ? double.NaN : Epochs[^1].Get(metric);
}
