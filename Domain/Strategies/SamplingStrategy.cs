using HpSearch.Domain.Experiments;
using HpSearch.Domain.Sampling;

namespace HpSearch.Domain.Strategies;

/// <summary>Random or grid search: ask the sampler for up to <c>freeSlots</c> new trials until the budget is spent.</summary>
public sealed class SamplingStrategy(ISampler sampler) : IStrategy
{
    public StrategyDecision Next(ExperimentSpec spec, IReadOnlyList<TrialRecord> trials, int freeSlots)
    {
        var stop = BudgetRules.Exhausted(spec, trials);
        if (stop is not null) return new StrategyDecision([], true, stop.Value.Failure);

        var limit = Math.Min(spec.Budget.MaxTrials, sampler.Size(spec.SearchSpace) ?? int.MaxValue);
        var requests = new List<TrialRequest>();
        for (var n = trials.Count; n < limit && requests.Count < freeSlots; n++)
            requests.Add(new TrialRequest(sampler.Suggest(spec.SearchSpace, n, trials), spec.Budget.MaxEpochs));
        var done = trials.Count + requests.Count >= limit;
        return new StrategyDecision(requests, done);
    }
}
