using HpSearch.Domain.Experiments;
using HpSearch.Domain.Parameters;
using HpSearch.Workers.Data;
using HpSearch.Workers.Training.Command;
using Microsoft.Extensions.Options;

namespace HpSearch.Workers.Training;

/// <summary>The trainers and data sets this deployment offers, and the per-trial limits; the API validates specs against it.</summary>
public sealed class TrainerCatalog(IEnumerable<ITrainer> trainers, DatasetCatalog datasets, IOptions<TrialLimitsOptions>? limits = null) : ISpecCatalog
{
    private readonly Dictionary<string, ITrainer> _trainers = trainers.ToDictionary(t => t.Name, StringComparer.Ordinal);

    // "external" is always offered: clients train its trials over ask/tell, no node needs anything for it.
    public IReadOnlyCollection<string> Trainers => [.. _trainers.Keys, ExperimentSpec.ExternalTrainer];

    public IReadOnlyCollection<string> Datasets => datasets.Names;

    /// <summary>The trainer's schema; an open one for <c>external</c> (the client's program takes whatever it declares).</summary>
    public ParameterSchema? SchemaOf(string trainer) =>
        _trainers.TryGetValue(trainer, out var t) ? t.Schema : trainer == ExperimentSpec.ExternalTrainer ? ParameterSchema.Open : null;

    public string? PoolOf(string trainer) =>
        _trainers.TryGetValue(trainer, out var t) && t is CommandTrainer c ? c.Options.Pool : null;

    /// <summary><c>auto</c> when this deployment has it (the built-in engine on CPU pools, TorchSharp on gpu pools).</summary>
    public string DefaultTrainer => _trainers.ContainsKey("auto") ? "auto" : "builtin";

    public long MaxTrialBytes => (limits?.Value ?? new TrialLimitsOptions()).MaxTrialBytes;

    public ITrainer Get(string name) =>
        _trainers.TryGetValue(name, out var t) ? t
        : name == ExperimentSpec.ExternalTrainer ? throw new InvalidOperationException("trainer 'external' is trained by clients over ask/tell, never on a worker.")
        : throw new InvalidOperationException($"trainer '{name}' is not configured on this node.");
}
