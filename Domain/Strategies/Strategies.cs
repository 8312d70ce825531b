using HpSearch.Domain.Experiments;
using HpSearch.Domain.Recipe;
using HpSearch.Domain.Sampling;

namespace HpSearch.Domain.Strategies;

/// <summary>Builds the strategy an experiment's spec asks for.</summary>
public static class Strategies
{
    public static IStrategy Create(ExperimentSpec spec) => spec.Strategy.Kind switch
    {
        StrategyKind.Random => new SamplingStrategy(new RandomSampler(spec.Strategy.Seed)),
        StrategyKind.Grid => new SamplingStrategy(new GridSampler(spec.Strategy.GridPoints)),
        StrategyKind.SixStep => new SixStepRecipe(),
        StrategyKind.Tpe => new SamplingStrategy(Tpe(spec)),
        StrategyKind.Hyperband => new HyperbandStrategy(new RandomSampler(spec.Strategy.Seed), spec.Strategy.Hyperband ?? HyperbandOptions.Default),
        StrategyKind.Bohb => new HyperbandStrategy(Tpe(spec), spec.Strategy.Hyperband ?? HyperbandOptions.Default),
        _ => throw new NotSupportedException($"strategy '{spec.Strategy.Kind}' is not available."),
    };

    private static TpeSampler Tpe(ExperimentSpec spec) =>
        new(spec.Objectives, spec.Strategy.Tpe ?? TpeOptions.Default, spec.Strategy.Seed);
}
