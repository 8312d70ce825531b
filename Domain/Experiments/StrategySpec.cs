using HpSearch.Domain.Sampling;

namespace HpSearch.Domain.Experiments;

public enum StrategyKind
{
    Random,
    Grid,
    SixStep,
    Tpe,
}

/// <summary>How trials are chosen: seeded random search, a grid, the six-step recipe, or TPE.</summary>
/// <param name="GridPoints">Points per continuous parameter in a grid (log-spaced on log scales).</param>
/// <param name="Tpe">TPE's settings (<c>strategy.tpe</c>); null = the defaults.</param>
public sealed record StrategySpec(StrategyKind Kind, int Seed, int GridPoints = 3, SixStepOptions? SixStep = null, TpeOptions? Tpe = null);
