using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.EarlyStopping;

/// <summary>Epochs trained against the epochs the same trials would have spent without early stopping.</summary>
/// <param name="Trained">Epochs actually trained (sum over trials).</param>
/// <param name="WithoutStopping">Epochs a run without early stopping would have spent.</param>
public sealed record EpochAccounting(int Trained, int WithoutStopping)
{
    public int Saved => WithoutStopping - Trained;

    /// <summary>Saved / WithoutStopping, 0 when nothing was planned.</summary>
    public double SavedFraction => WithoutStopping == 0 ? 0 : (double)Saved / WithoutStopping;

    /// <summary>Counts <paramref name="trials"/>. A completed or pruned trial would have run its full MaxEpochs
    /// (<paramref name="defaultMaxEpochs"/> when the record has none); a diverged, failed, cancelled or still
    /// running trial is counted as trained: stopping rules saved nothing there.</summary>
    public static EpochAccounting Of(IEnumerable<TrialRecord> trials, int defaultMaxEpochs)
    {
        int trained = 0, without = 0;
        foreach (var t in trials)
        {
            var ran = t.Epochs.Count;
            trained += ran;
            without += t.Status is TrialStatus.Completed or TrialStatus.Pruned
                ? Math.Max(ran, t.MaxEpochs ?? defaultMaxEpochs)
                : ran;
        }
        return new EpochAccounting(trained, without);
    }
}
