using HpSearch.Domain.Experiments;
using HpSearch.Domain.Sampling;

namespace HpSearch.Domain.Strategies;

/// <summary>Random, grid or TPE search: ask the sampler for up to <c>freeSlots</c> new trials until the budget is spent
/// (budget.maxTrials, or the grid's size when smaller). <c>strategy.enqueue</c>'s configurations come first, completed by the sampler.</summary>
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
        // Trials asked for in this call are queued before the next suggestion, so a model-based sampler sees them (constant liar).
        var history = new List<TrialRecord>(trials);
        for (var n = trials.Count; n < limit && requests.Count < freeSlots; n++)
        {
            var values = Sampler.Suggest(spec.SearchSpace, n, history);
            if (EnqueuedConfigurations.Next(spec.Strategy.Enqueue, history) is { } enqueued)
            {
                var merged = new Dictionary<string, object>(values, StringComparer.Ordinal);
                foreach (var (k, v) in enqueued) merged[k] = v;
                values = merged;
            }
            values = spec.SearchSpace.ActiveOnly(values);
            requests.Add(new TrialRequest(values, spec.Budget.MaxEpochs));
            history.Add(new TrialRecord(n, TrialStatus.Queued, values, [], MaxEpochs: spec.Budget.MaxEpochs));
        }
        var done = trials.Count + requests.Count >= limit;
        return new StrategyDecision(requests, done);
    }
}
