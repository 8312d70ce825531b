using HpSearch.Domain.Experiments;
using HpSearch.Domain.Recipe;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Tests.Recipe;

/// <summary>Plays the controller: asks the recipe, trains what it asks for with the fake, until it is done.</summary>
internal sealed class RecipeDriver(ExperimentSpec spec, FakeTrainer trainer, IStrategy? strategy = null)
{
    public IStrategy Strategy { get; } = strategy ?? new SixStepRecipe();
    public List<TrialRecord> Trials { get; } = [];
    public List<StrategyDecision> Decisions { get; } = [];

    public StrategyDecision Run(int maxCalls = 500)
    {
        for (var call = 0; call < maxCalls; call++)
        {
            var freeSlots = spec.Budget.Parallelism;
            var d = Strategy.Next(spec, Trials, freeSlots);
            Decisions.Add(d);
            Assert.True(d.NewTrials.Count <= freeSlots, $"asked for {d.NewTrials.Count} trials with {freeSlots} free slots");
            foreach (var r in d.NewTrials) Trials.Add(trainer.Train(Trials.Count, r with { Params = Merge(r.Params) }));
            if (d.Done) return d;
        }
        throw new InvalidOperationException("the recipe never finished.");
    }

    /// <summary>As the controller does: the spec's fixed params, overridden by the request's.</summary>
    private Dictionary<string, object> Merge(IReadOnlyDictionary<string, object> requested)
    {
        var merged = new Dictionary<string, object>(spec.Params, StringComparer.Ordinal);
        foreach (var (k, v) in requested) merged[k] = v;
        return merged;
    }
}
