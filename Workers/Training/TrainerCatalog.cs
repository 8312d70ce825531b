using HpSearch.Domain.Experiments;
using HpSearch.Workers.Data;
using HpSearch.Workers.Training.Command;

namespace HpSearch.Workers.Training;

/// <summary>The trainers and data sets this deployment offers; the API validates specs against it.</summary>
public sealed class TrainerCatalog(IEnumerable<ITrainer> trainers, DatasetCatalog datasets) : ISpecCatalog
{
    private readonly Dictionary<string, ITrainer> _trainers = trainers.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Trainers => _trainers.Keys;

    public IReadOnlyCollection<string> Datasets => datasets.Names;

    public IReadOnlySet<string>? ParametersOf(string trainer) =>
        _trainers.TryGetValue(trainer, out var t) ? t.KnownParameters : null;

    public string? PoolOf(string trainer) =>
        _trainers.TryGetValue(trainer, out var t) && t is CommandTrainer c ? c.Options.Pool : null;

    public ITrainer Get(string name) =>
        _trainers.TryGetValue(name, out var t) ? t : throw new InvalidOperationException($"trainer '{name}' is not configured on this node.");
}
