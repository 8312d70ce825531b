namespace HpSearch.Workers.Training;

/// <summary>Trains one trial: the built-in engine, or an operator-configured command.</summary>
public interface ITrainer
{
    string Name { get; }

    /// <summary>The parameter names this trainer understands; null when it accepts any (command trainers).</summary>
    IReadOnlySet<string>? KnownParameters { get; }

    /// <summary>Why this trainer cannot take <paramref name="value"/> for <paramref name="name"/> (checked at submit); null when it can.</summary>
    string? CheckValue(string name, object value) => null;

    /// <summary>Trains epoch by epoch, reporting each epoch to <paramref name="observer"/> and stopping when it says so.
    /// Throws on a crash (the trial job records it as failed); a NaN/Inf loss ends with <see cref="TrainStatus.Diverged"/>.</summary>
    Task<TrainOutcome> TrainAsync(TrainRequest request, ITrainingObserver observer, CancellationToken cancellationToken);

    /// <summary>Evaluates a checkpoint produced by <see cref="TrainAsync"/> once on the test split (the chosen trial only).
    /// Returns null when this trainer keeps no checkpoints.</summary>
    Task<TestResult?> EvaluateTestAsync(TrainRequest request, byte[] checkpoint, CancellationToken cancellationToken);
}
