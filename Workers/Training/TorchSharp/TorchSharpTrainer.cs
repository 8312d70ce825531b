using HpSearch.Workers.Data;
using HpSearch.Workers.Training.Builtin;
using static TorchSharp.torch;

namespace HpSearch.Workers.Training.TorchSharp;

/// <summary>Trains trials with TorchSharp (libtorch) on the slot's device: <c>cuda:N</c> on slot N of a gpu pool, the CPU
/// elsewhere. Takes the built-in trainer's parameters (<see cref="BuiltinConfig"/>) and builds the same networks; keeps the
/// best-validation-accuracy weights as the checkpoint. Seeded by the run's own generators: a CPU re-run repeats its curve.</summary>
public sealed class TorchSharpTrainer(DatasetCatalog datasets, TorchSharpTrainerOptions options) : ITrainer
{
    private static readonly Lock ThreadsLock = new();
    private static int _threads;

    public string Name => "torchsharp";

    public IReadOnlySet<string>? KnownParameters => BuiltinConfig.Names;

    public async Task<TrainOutcome> TrainAsync(TrainRequest request, ITrainingObserver observer, CancellationToken cancellationToken)
    {
        var cfg = BuiltinConfig.Parse(request.Params, request.Options, Name);
        var data = await datasets.LoadAsync(request.Dataset, cancellationToken).ConfigureAwait(false);
        var device = SlotDevice.Of(request.Pool, request.Slot);
        await observer.OnRunAsync(Name, device, cancellationToken).ConfigureAwait(false);
        return await Task.Run(async () =>
        {
            using var run = Start(cfg, data, request, device);
            return await run.RunAsync(observer, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TestResult?> EvaluateTestAsync(TrainRequest request, byte[] checkpoint, CancellationToken cancellationToken)
    {
        var cfg = BuiltinConfig.Parse(request.Params, request.Options, Name);
        var data = await datasets.LoadAsync(request.Dataset, cancellationToken).ConfigureAwait(false);
        return await Task.Run(() =>
        {
            using var run = Start(cfg, data, request, SlotDevice.Of(request.Pool, request.Slot));
            run.Network.LoadCheckpoint(checkpoint);
            var (loss, acc) = run.Evaluate(data.TestX, data.TestY, null, cancellationToken);
            return (TestResult?)new TestResult(loss, acc);
        }, cancellationToken).ConfigureAwait(false);
    }

    internal TorchSharpRun Start(BuiltinConfig cfg, Dataset data, TrainRequest request, string device)
    {
        SetThreads();
        return new TorchSharpRun(cfg, data, request, new Device(device));
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
