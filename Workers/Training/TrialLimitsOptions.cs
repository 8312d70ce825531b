namespace HpSearch.Workers.Training;

/// <summary>What one trial may use, set by the operator ("Limits" section) and checked at submit time.</summary>
public sealed class TrialLimitsOptions
{
    public const string Section = "Limits";

    /// <summary>The most memory one trial may need by the trainer's estimate (parameters, optimizer state, activations at
    /// the batch size, data). A spec whose largest trial needs more is refused with a 400.</summary>
    public int MaxTrialMemoryMb { get; set; } = 4096;

    public long MaxTrialBytes => MaxTrialMemoryMb * 1024L * 1024L;

    public bool IsValid => MaxTrialMemoryMb is >= 16 and <= 1024 * 1024;
}
