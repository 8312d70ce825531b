namespace HpSearch.Domain.Experiments;

/// <summary>The allowed moves of the experiment and trial state machines.</summary>
public static class Lifecycle
{
    public static bool IsFinished(this TrialStatus s) => s is not (TrialStatus.Queued or TrialStatus.Running);

    public static bool IsFinished(this ExperimentStatus s) =>
        s is ExperimentStatus.Completed or ExperimentStatus.Failed or ExperimentStatus.Cancelled;

    /// <summary>queued → running → completed | pruned | diverged | failed | cancelled; queued → cancelled;
    /// running → queued (a dead worker's attempt is re-run).</summary>
    public static bool CanMove(TrialStatus from, TrialStatus to) => (from, to) switch
    {
        (TrialStatus.Queued, TrialStatus.Running) => true,
        (TrialStatus.Queued, TrialStatus.Cancelled) => true,
        (TrialStatus.Queued, TrialStatus.Failed) => true,
        (TrialStatus.Running, TrialStatus.Queued) => true,
        (TrialStatus.Running, TrialStatus.Running) => true,
        (TrialStatus.Running, _) when to.IsFinished() => true,
        _ => false,
    };

    public static bool CanMove(ExperimentStatus from, ExperimentStatus to) => (from, to) switch
    {
        (ExperimentStatus.Queued, ExperimentStatus.Running) => true,
        (ExperimentStatus.Queued or ExperimentStatus.Running, _) when to.IsFinished() => true,
        _ => false,
    };

    public static string ToWire(this TrialStatus s) => s.ToString().ToLowerInvariant();
    public static string ToWire(this ExperimentStatus s) => s.ToString().ToLowerInvariant();

    public static TrialStatus ParseTrialStatus(string s) => Enum.Parse<TrialStatus>(s, ignoreCase: true);
    public static ExperimentStatus ParseExperimentStatus(string s) => Enum.Parse<ExperimentStatus>(s, ignoreCase: true);
}
