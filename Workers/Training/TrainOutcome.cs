namespace HpSearch.Workers.Training;

public enum TrainStatus
{
    /// <summary>Ran all epochs (or the iteration limit).</summary>
    Completed,
    /// <summary>The observer asked to stop.</summary>
    Stopped,
    /// <summary>The loss became NaN or infinite.</summary>
    Diverged,
}

/// <summary>How training ended, with the best epoch's model (serialised) for the one-time test evaluation, and the files a
/// command trainer left in its artifact folder.</summary>
public sealed record TrainOutcome(TrainStatus Status, string? Message = null, byte[]? Checkpoint = null, int? CheckpointEpoch = null,
    IReadOnlyList<HpSearch.Persistence.Artifacts.ArtifactFile>? Files = null);

/// <summary>The test split's loss and accuracy for a checkpoint.</summary>
public sealed record TestResult(double TestLoss, double TestAccuracy);
