using HpSearch.Domain.Parameters;

namespace HpSearch.Workers.Training;

/// <summary>Trains one trial: the built-in engine, or an operator-configured command.</summary>
public interface ITrainer
{
    string Name { get; }

    /// <summary>The parameters this trainer accepts, checked at submit time against fixed values and every value a search
    /// space can produce; an open schema for command trainers without declared parameters.</summary>
    ParameterSchema Schema { get; }

    /// <summary>Trains epoch by epoch, reporting each epoch to <paramref name="observer"/> and stopping when it says so.
    /// Throws on a crash (the trial job records it as failed); a NaN/Inf loss ends with <see cref="TrainStatus.Diverged"/>.</summary>
    Task<TrainOutcome> TrainAsync(TrainRequest request, ITrainingObserver observer, CancellationToken cancellationToken);

    /// <summary>Evaluates a checkpoint produced by <see cref="TrainAsync"/> once on the test split (the chosen trial only).
    /// Returns null when this trainer keeps no checkpoints.</summary>
    Task<TestResult?> EvaluateTestAsync(TrainRequest request, byte[] checkpoint, CancellationToken cancellationToken);
}
