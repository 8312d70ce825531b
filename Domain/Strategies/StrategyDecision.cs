namespace HpSearch.Domain.Strategies;

/// <summary>What the controller should do now: start these trials, and/or finish the experiment.</summary>
/// <param name="Done">No more trials will be asked for; once running trials end the experiment finishes.</param>
/// <param name="FailureReason">Set when the experiment must end as failed (e.g. too many failed trials, a recipe stage failed).</param>
public sealed record StrategyDecision(
    IReadOnlyList<TrialRequest> NewTrials,
    bool Done,
    string? FailureReason = null,
    string? CurrentStage = null,
    IReadOnlyList<StageResult>? Stages = null)
{
    public static StrategyDecision Wait(string? stage = null, IReadOnlyList<StageResult>? stages = null) => new([], false, null, stage, stages);
}
