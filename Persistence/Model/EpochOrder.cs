namespace HpSearch.Persistence.Model;

/// <summary>
/// The order statistics of one (experiment, stage, epoch) group of <see cref="TrialScore"/> rows, kept by triggers on
/// <c>trial_scores</c>: the group's count and, for each order the stopping rules read (by score, by running sum; ties broken
/// by trial id), a pivot key with its exact rank. The triggers keep the running-sum pivot at the lower middle; ASHA's asker
/// moves the score pivot to the k-th best from where the last one left it. A rung's k-th best and an epoch's middle running
/// means cost O(log n), not a walk of the group (decision 0023).
/// </summary>
public sealed class EpochOrder
{
    public Guid ExperimentId { get; set; }
    /// <summary>The trials' stage, "" for none (as <see cref="TrialScore.StageKey"/>).</summary>
    public required string StageKey { get; set; }
    public int Epoch { get; set; }
    /// <summary>Score rows in the group.</summary>
    public int N { get; set; }
    public double? ScoreValue { get; set; }
    public Guid? ScoreTrial { get; set; }
    /// <summary>Keys of the group below (ScoreValue, ScoreTrial) in (score, trial id) order: the pivot's rank.</summary>
    public int ScoreBelow { get; set; }
    public double? SumValue { get; set; }
    public Guid? SumTrial { get; set; }
    /// <summary>Keys of the group below (SumValue, SumTrial) in (running sum, trial id) order: the pivot's rank.</summary>
    public int SumBelow { get; set; }
}
