using HpSearch.Domain.Sampling;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Experiments;

public enum StrategyKind
{
    Random,
    Grid,
    SixStep,
    Tpe,
    Hyperband,
    Bohb,
}

/// <summary>How trials are chosen: seeded random search, a grid, the six-step recipe, TPE, or Hyperband brackets with random
/// (<c>hyperband</c>) or TPE (<c>bohb</c>) configurations.</summary>
/// <param name="GridPoints">Points per continuous parameter in a grid (log-spaced on log scales).</param>
/// <param name="Tpe">TPE's settings (<c>strategy.tpe</c>, for tpe and bohb); null = the defaults.</param>
/// <param name="Hyperband">The brackets' settings (<c>strategy.hyperband</c>, for hyperband and bohb); null = the defaults.</param>
/// <param name="Enqueue">Configurations to try first (<c>strategy.enqueue</c>), in order; parameters they leave out are sampled.</param>
public sealed record StrategySpec(StrategyKind Kind, int Seed, int GridPoints = 3, SixStepOptions? SixStep = null, TpeOptions? Tpe = null,
    HyperbandOptions? Hyperband = null, IReadOnlyList<IReadOnlyDictionary<string, object>>? Enqueue = null)
{
    /// <summary>True for the strategies that run Hyperband brackets.</summary>
    public bool UsesBrackets => Kind is StrategyKind.Hyperband or StrategyKind.Bohb;
}
