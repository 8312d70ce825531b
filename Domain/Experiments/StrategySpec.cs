namespace HpSearch.Domain.Experiments;

public enum StrategyKind
{
    Random,
    Grid,
    SixStep,
}

/// <summary>How trials are chosen: seeded random search, a grid, or the six-step recipe.</summary>
/// <param name="GridPoints">Points per continuous parameter in a grid (log-spaced on log scales).</param>
public sealed record StrategySpec(StrategyKind Kind, int Seed, int GridPoints = 3, SixStepOptions? SixStep = null);
