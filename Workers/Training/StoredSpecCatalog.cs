using HpSearch.Domain.Experiments;

namespace HpSearch.Workers.Training;

/// <summary>Reads a spec that was validated when it was stored (an experiment, a schedule's template) on a node that may not
/// have its trainer: controllers and schedule firings run on any node, command trainers exist only on their workers.</summary>
public sealed class StoredSpecCatalog(ISpecCatalog inner, string trainer) : ISpecCatalog
{
    public IReadOnlyCollection<string> Trainers { get; } = inner.Trainers.Contains(trainer) ? inner.Trainers : [.. inner.Trainers, trainer];

    public IReadOnlyCollection<string> Datasets => inner.Datasets;

    public IReadOnlySet<string>? ParametersOf(string name) => inner.ParametersOf(name);

    public string? PoolOf(string name) => inner.PoolOf(name);

    /// <summary>A stored spec that names no trainer ran on the one recorded with it (specs stored before <c>auto</c> meant builtin).</summary>
    public string DefaultTrainer => trainer;
}
