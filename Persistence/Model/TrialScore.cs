namespace HpSearch.Persistence.Model;

/// <summary>
/// The objective of one trial at one epoch as the stopping rules compare it (written with its <see cref="TrialEpoch"/>, and
/// removed with it): a score (higher is better, −∞ for a non-finite value) and the running sum of the scores of epochs 1..t,
/// keyed by experiment, stage and epoch so one index answers a rung's or an epoch's question (decision 0018).
/// </summary>
public sealed class TrialScore
{
    public Guid TrialId { get; set; }
    public int Epoch { get; set; }
    public Guid ExperimentId { get; set; }
    /// <summary>The trial's stage, "" for none: trials compete only within their stage.</summary>
    public required string StageKey { get; set; }
    public double Score { get; set; }
    public double RunningSum { get; set; }
}
