using HpSearch.Domain.Experiments;
using HpSearch.Domain.Sampling;

namespace HpSearch.Domain.Strategies;

/// <summary>Random or grid search: ask the sampler for up to <c>freeSlots</c> new trials until the budget is spent
/// (budget.maxTrials, or the grid's size when smaller).</summary>
public sealed class SamplingStrategy(ISampler sampler) : IStrategy
{
    public ISampler Sampler { get; } = sampler;

    public StrategyDecision Next(ExperimentSpec spec, IReadOnlyList<TrialRecord> trials, int freeSlots) =>
        Next(spec, trials, freeSlots, TimeSpan.Zero);

    public StrategyDecision Next(ExperimentSpec spec, IReadOnlyList<TrialRecord> trials, int freeSlots, TimeSpan elapsed)
    {
        var stop = BudgetRules.Exhausted(spec, trials, elapsed);
        if (stop is not null) return new StrategyDecision([], true, stop.Value.Failure);

        var limit = Math.Min(spec.Budget.MaxTrials, Sampler.Size(spec.SearchSpace) ?? int.MaxValue);
        var requests = new List<TrialRequest>();
        for (var n = trials.Count; n < limit && requests.Count < freeSlots; n++)
            requests.Add(new TrialRequest(Sampler.Suggest(spec.SearchSpace, n, trials), spec.Budget.MaxEpochs));
        var done = trials.Count + requests.Count >= limit;
        return new StrategyDecision(requests, done);
    }
}
