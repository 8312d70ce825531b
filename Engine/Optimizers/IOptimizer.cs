namespace HpSearch.Engine.Optimizers;

/// <summary>Updates parameters from their gradients. State (velocities, moments) is kept per parameter.</summary>
public interface IOptimizer
{
    string Name { get; }

    /// <summary>One update with learning rate <paramref name="lr"/>.</summary>
    void Step(IReadOnlyList<Parameter> parameters, float lr);
}
