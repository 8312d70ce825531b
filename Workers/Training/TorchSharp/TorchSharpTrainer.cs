using HpSearch.Domain.Parameters;
using HpSearch.Domain.Search;
using HpSearch.Workers.Data;
using HpSearch.Workers.Training.Builtin;
using static TorchSharp.torch;

namespace HpSearch.Workers.Training.TorchSharp;

/// <summary>Trains trials with TorchSharp (libtorch) on the slot's device: <c>cuda:N</c> on slot N of a gpu pool, the CPU
/// elsewhere. Takes the built-in trainer's parameters (<see cref="BuiltinConfig"/>) and builds the same networks; keeps the
/// best-validation-accuracy weights as the checkpoint. Seeded by the run's own generators: a CPU re-run repeats its curve.</summary>
public sealed class TorchSharpTrainer(DatasetCatalog datasets, TorchSharpTrainerOptions options, CustomModelCatalog models) : ITrainer
{
    private static readonly Lock ThreadsLock = new();
    private static int _threads;

    public TorchSharpTrainer(DatasetCatalog datasets, TorchSharpTrainerOptions options) : this(datasets, options, CustomModelCatalog.Empty) { }

    public string Name => "torchsharp";

    /// <summary>The built-in trainer's parameters, <c>model</c> widened to the custom models, and the custom models'
    /// constructor parameters (numbers, strings or booleans; the model's constructor checks their meaning).</summary>
    public ParameterSchema Schema { get; } = CreateSchema(datasets, models);

    public CustomModelCatalog Models => models;

    private static ParameterSchema CreateSchema(DatasetCatalog datasets, CustomModelCatalog models)
    {
        var rules = new Dictionary<string, ParameterRule>(BuiltinSchema.Rules, StringComparer.Ordinal)
        {
            ["model"] = ParameterRule.Choice(["mlp", "cnn", .. models.Names.Order(StringComparer.Ordinal)]),
        };
        foreach (var name in models.ParameterNames) rules.TryAdd(name, ParameterRule.Scalar());
        var builtin = BuiltinSchema.Create(datasets);
        // A custom model's size is its own code's business: only the built-in models are estimated.
        return new ParameterSchema(rules)
        {
            Metrics = EpochMetrics.Names,
            EstimateBytes = (p, dataset) =>
                p.TryGetValue("model", out var m) && models.TryGet(ParameterValue.AsString(m), out _) ? null : builtin.EstimateBytes!(p, dataset),
        };
    }

    public async Task<TrainOutcome> TrainAsync(TrainRequest request, ITrainingObserver observer, CancellationToken cancellationToken)
    {
        var (cfg, custom) = Parse(request);
        var data = await datasets.LoadAsync(request.Dataset, cancellationToken).ConfigureAwait(false);
        var device = SlotDevice.Of(request.Pool, request.Slot);
        await observer.OnRunAsync(Name, device, cancellationToken).ConfigureAwait(false);
        return await Task.Run(async () =>
        {
            using var run = Start(cfg, custom, data, request, device);
            return await run.RunAsync(observer, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TestResult?> EvaluateTestAsync(TrainRequest request, byte[] checkpoint, CancellationToken cancellationToken)
    {
        var (cfg, custom) = Parse(request);
        var data = await datasets.LoadAsync(request.Dataset, cancellationToken).ConfigureAwait(false);
        return await Task.Run(() =>
        {
            using var run = Start(cfg, custom, data, request, SlotDevice.Of(request.Pool, request.Slot));
            run.Network.LoadCheckpoint(checkpoint);
            var (loss, acc) = run.Evaluate(data.TestX, data.TestY, null, cancellationToken);
            return (TestResult?)new TestResult(loss, acc);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The training settings, and the custom model when <c>model</c> names one: its constructor parameters are
    /// taken out before the rest is read as the built-in trainer's parameters (which then describe only the training).</summary>
    internal (BuiltinConfig Config, CustomModel? Custom) Parse(TrainRequest request)
    {
        var p = request.Params;
        if (p.TryGetValue("model", out var m) && models.TryGet(ParameterValue.AsString(m), out var custom))
        {
            var rest = p.Where(kv => kv.Key != "model" && !custom.Parameters.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
            return (BuiltinConfig.Parse(rest, request.Options, Name), custom);
        }
        return (BuiltinConfig.Parse(p, request.Options, Name), null);
    }

    internal TorchSharpRun Start(BuiltinConfig cfg, CustomModel? custom, Dataset data, TrainRequest request, string device)
    {
        SetThreads();
        return new TorchSharpRun(cfg, custom, data, request, new Device(device));
    }

    private void SetThreads()
    {
        int threads = Math.Max(1, options.Threads);
        lock (ThreadsLock)
        {
            if (_threads == threads) return;
            set_num_threads(threads);
            _threads = threads;
        }
    }
}
