namespace HpSearch.Workers.Training;

/// <summary>Receives each epoch as it ends and says whether training goes on.</summary>
public interface ITrainingObserver
{
    /// <summary>Called once before the first epoch with trial-level values (e.g. "initialLoss").</summary>
    ValueTask OnSummaryAsync(string key, double value, CancellationToken cancellationToken);

    /// <summary>Called once before training with the trainer that runs the trial (<c>auto</c> resolved) and the device it
    /// uses (<c>cpu</c>, <c>cuda:N</c>); stored with the trial.</summary>
    ValueTask OnRunAsync(string trainer, string device, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Stores the epoch and returns false when the trial must stop now (pruned, patience, cancelled).</summary>
    ValueTask<bool> OnEpochAsync(EpochReport epoch, CancellationToken cancellationToken);
}
