using HpSearch.Domain.Experiments;
using HpSearch.Domain.Parameters;

namespace HpSearch.Persistence.Experiments;

/// <summary>Reads a spec that was validated when it was stored (an experiment, a schedule's template) on a node that may not
/// have its trainer: controllers and schedule firings run on any node, command trainers exist only on their workers.</summary>
public sealed class StoredSpecCatalog(ISpecCatalog inner, string trainer) : ISpecCatalog
{
    public IReadOnlyCollection<string> Trainers { get; } = inner.Trainers.Contains(trainer) ? inner.Trainers : [.. inner.Trainers, trainer];

    public IReadOnlyCollection<string> Datasets => inner.Datasets;

    // Checked when the spec was stored; a schema tightened since must not break an accepted experiment.
    public ParameterSchema? SchemaOf(string name) => null;

    public bool IsStored => true;

    public string? PoolOf(string name) => inner.PoolOf(name);

    /// <summary>A stored spec that names no trainer ran on the one recorded with it (specs stored before <c>auto</c> meant builtin).</summary>
    public string DefaultTrainer => trainer;

    // A stored spec was checked against the limit in force when it was submitted.
    public long MaxTrialBytes => long.MaxValue;
}
