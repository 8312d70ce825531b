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

    public string? CheckValue(string trainer, string name, object value) =>
        _trainers.TryGetValue(trainer, out var t) ? t.CheckValue(name, value) : null;

    public string? PoolOf(string trainer) =>
        _trainers.TryGetValue(trainer, out var t) && t is CommandTrainer c ? c.Options.Pool : null;

    /// <summary><c>auto</c> when this deployment has it (the built-in engine on CPU pools, TorchSharp on gpu pools).</summary>
    public string DefaultTrainer => _trainers.ContainsKey("auto") ? "auto" : "builtin";

    public ITrainer Get(string name) =>
        _trainers.TryGetValue(name, out var t) ? t : throw new InvalidOperationException($"trainer '{name}' is not configured on this node.");
}
