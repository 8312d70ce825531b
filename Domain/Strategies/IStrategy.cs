using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.Strategies;

/// <summary>Decides the next trials of an experiment from its history: a pure function, called by the controller job.</summary>
public interface IStrategy
{
    /// <param name="trials">Every trial so far, in number order.</param>
    /// <param name="freeSlots">How many more trials may run now (parallelism minus running).</param>
    StrategyDecision Next(ExperimentSpec spec, IReadOnlyList<TrialRecord> trials, int freeSlots);
}
