namespace HpSearch.Persistence.Trials;

/// <summary>What storing an epoch read back in the same statement: whether the experiment was asked to cancel, and the trial's
/// stage and epochs (which stopping rule applies to it).</summary>
public sealed record EpochWrite(bool CancelRequested, string? Stage, int MaxEpochs);
