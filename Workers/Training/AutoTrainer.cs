using HpSearch.Domain.Parameters;
using HpSearch.Workers.Training.Builtin;
using HpSearch.Workers.Training.TorchSharp;

namespace HpSearch.Workers.Training;

/// <summary>The trainer <c>auto</c>: the built-in engine on CPU pools (it is the faster of the two there, see
/// docs/performance.md), TorchSharp on gpu pools. Both take the same parameters, so the choice never changes a spec's meaning.</summary>
public sealed class AutoTrainer(BuiltinTrainer builtin, TorchSharpTrainer torchSharp) : ITrainer
{
    public string Name => "auto";

    public ParameterSchema Schema => builtin.Schema;

    public ITrainer For(string pool) => SlotDevice.IsGpuPool(pool) ? torchSharp : builtin;

    public Task<TrainOutcome> TrainAsync(TrainRequest request, ITrainingObserver observer, CancellationToken cancellationToken) =>
        For(request.Pool).TrainAsync(request, observer, cancellationToken);

    public Task<TestResult?> EvaluateTestAsync(TrainRequest request, byte[] checkpoint, CancellationToken cancellationToken) =>
        For(request.Pool).EvaluateTestAsync(request, checkpoint, cancellationToken);
}
