using HpSearch.Domain.Parameters;
using HpSearch.Workers.Data;
using HpSearch.Engine;
using HpSearch.Engine.Gemm;
using HpSearch.Workers.Training;

namespace HpSearch.Workers.Training.Builtin;

/// <summary>Trains trials on the built-in CPU engine (<c>Engine/</c>, project HpSearch.Engine): builds the model from the trial's
/// parameters, trains epoch by epoch, reports each epoch, keeps the best-validation-accuracy weights as the checkpoint.</summary>
public sealed class BuiltinTrainer(DatasetCatalog datasets, BuiltinTrainerOptions options) : ITrainer
{
    private readonly Compute _compute = new(Math.Max(1, options.Threads), GemmBackends.Resolve(options.Gemm));

    public string Name => "builtin";

    public ParameterSchema Schema { get; } = BuiltinSchema.Create(datasets);

    /// <summary>The GEMM backend in use (reported by the bench).</summary>
    public string GemmBackend => _compute.Gemm.Name;

    public async Task<TrainOutcome> TrainAsync(TrainRequest request, ITrainingObserver observer, CancellationToken cancellationToken)
    {
        var cfg = BuiltinConfig.Parse(request.Params, request.Options);
        var data = await datasets.LoadAsync(request.Dataset, cancellationToken).ConfigureAwait(false);
        await observer.OnRunAsync(Name, "cpu", cancellationToken).ConfigureAwait(false);
        var run = new BuiltinRun(cfg, data, request, _compute);
        return await Task.Run(() => run.RunAsync(observer, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<TestResult?> EvaluateTestAsync(TrainRequest request, byte[] checkpoint, CancellationToken cancellationToken)
    {
        var cfg = BuiltinConfig.Parse(request.Params, request.Options);
        var data = await datasets.LoadAsync(request.Dataset, cancellationToken).ConfigureAwait(false);
        return await Task.Run(() =>
        {
            var run = new BuiltinRun(cfg, data, request, _compute);
            run.Model.LoadCheckpoint(checkpoint);
            var (loss, acc) = run.Evaluate(data.TestX, data.TestY, null, cancellationToken);
            return (TestResult?)new TestResult(loss, acc);
        }, cancellationToken).ConfigureAwait(false);
    }
}
