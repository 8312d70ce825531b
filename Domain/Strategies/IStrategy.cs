using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.Strategies;

/// <summary>Decides the next trials of an experiment from its history: a pure function, called by the controller job.</summary>
public interface IStrategy
{
    /// <param name="trials">Every trial so far, in number order.</param>
    /// <param name="freeSlots">How many more trials may run now (parallelism minus running).</param>
    StrategyDecision Next(ExperimentSpec spec, IReadOnlyList<TrialRecord> trials, int freeSlots);

    /// <summary>As the three-argument overload, also honouring <c>budget.timeLimitSeconds</c>.</summary>
    /// <param name="elapsed">Time since the experiment started, from the caller's clock (Domain reads no clock).</param>
    StrategyDecision Next(ExperimentSpec spec, IReadOnlyList<TrialRecord> trials, int freeSlots, TimeSpan elapsed) =>
        BudgetRules.Exhausted(spec, trials, elapsed) is { } stop
            ? new StrategyDecision([], true, stop.Failure)
            : Next(spec, trials, freeSlots);
}
