namespace HpSearch.Domain.EarlyStopping;

/// <summary>The one figure about competing trials at an epoch that a cross-trial rule reads.</summary>
public enum PeerStatistic
{
    /// <summary>ASHA: among the n trials of the group at the rung epoch (the asking trial included), the objective value of
    /// the k-th best, k = max(1, ⌊n/η⌋).</summary>
    RungThreshold,

    /// <summary>Median rule: among the other trials of the group that reached the epoch, the middle running mean(s) of the
    /// objective over epochs 1..t, in ascending score order.</summary>
    MedianOfRunningMeans,
}
