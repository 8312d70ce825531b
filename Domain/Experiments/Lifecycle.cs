namespace HpSearch.Domain.Experiments;

/// <summary>The allowed moves of the experiment and trial state machines.</summary>
public static class Lifecycle
{
    public static bool IsFinished(this TrialStatus s) => s is not (TrialStatus.Queued or TrialStatus.Running);

    public static bool IsFinished(this ExperimentStatus s) =>
        s is ExperimentStatus.Completed or ExperimentStatus.Failed or ExperimentStatus.Cancelled;

    /// <summary>queued → running → completed | pruned | diverged | failed | cancelled; queued → cancelled;
    /// running → queued (a dead worker's attempt is re-run); cancelled → queued (a resumed experiment runs it again);
    /// failed → queued (a retry: same parameters and seed, a new attempt).</summary>
    public static bool CanMove(TrialStatus from, TrialStatus to) => (from, to) switch
    {
        (TrialStatus.Queued, TrialStatus.Running) => true,
        (TrialStatus.Cancelled or TrialStatus.Failed, TrialStatus.Queued) => true,
        (TrialStatus.Queued, TrialStatus.Cancelled) => true,
        (TrialStatus.Queued, TrialStatus.Failed) => true,
        (TrialStatus.Running, TrialStatus.Queued) => true,
        (TrialStatus.Running, TrialStatus.Running) => true,
        (TrialStatus.Running, _) when to.IsFinished() => true,
        _ => false,
    };

    /// <summary>queued → running → completed | failed | cancelled; queued → failed | cancelled; a finished experiment may be
    /// reopened (→ running) by a resume, a retry of its failed trials or an extension of its budget.</summary>
    public static bool CanMove(ExperimentStatus from, ExperimentStatus to) => (from, to) switch
    {
        (ExperimentStatus.Queued, ExperimentStatus.Running) => true,
        (_, ExperimentStatus.Running) when from.IsFinished() => true,
        (ExperimentStatus.Queued or ExperimentStatus.Running, _) when to.IsFinished() => true,
        _ => false,
    };

    /// <summary>The move <paramref name="from"/> → <paramref name="to"/>, refused with <see cref="IllegalMoveException"/> when the
    /// state machine does not allow it. Every status change of a trial goes through here.</summary>
    public static TrialStatus Move(TrialStatus from, TrialStatus to) =>
        CanMove(from, to) ? to : throw new IllegalMoveException($"a trial cannot move from {from.ToWire()} to {to.ToWire()}.");

    /// <summary>The move <paramref name="from"/> → <paramref name="to"/>, refused with <see cref="IllegalMoveException"/> when the
    /// state machine does not allow it. Every status change of an experiment goes through here.</summary>
    public static ExperimentStatus Move(ExperimentStatus from, ExperimentStatus to) =>
        CanMove(from, to) ? to : throw new IllegalMoveException($"an experiment cannot move from {from.ToWire()} to {to.ToWire()}.");

    /// <summary>The states a trial may move to <paramref name="to"/> from.</summary>
    public static IReadOnlyList<TrialStatus> SourcesOf(TrialStatus to) => Enum.GetValues<TrialStatus>().Where(s => CanMove(s, to)).ToList();

    /// <summary>The states an experiment may move to <paramref name="to"/> from.</summary>
    public static IReadOnlyList<ExperimentStatus> SourcesOf(ExperimentStatus to) =>
        Enum.GetValues<ExperimentStatus>().Where(s => CanMove(s, to)).ToList();

    public static string ToWire(this TrialStatus s) => s.ToString().ToLowerInvariant();
    public static string ToWire(this ExperimentStatus s) => s.ToString().ToLowerInvariant();

    public static TrialStatus ParseTrialStatus(string s) => Enum.Parse<TrialStatus>(s, ignoreCase: true);
    public static ExperimentStatus ParseExperimentStatus(string s) => Enum.Parse<ExperimentStatus>(s, ignoreCase: true);

    /// <summary>A status as the API writes it (<c>running</c>); false for anything else, numbers included.</summary>
    public static bool TryParseWire(string? s, out TrialStatus status) =>
        Enum.TryParse(s, ignoreCase: true, out status) && !int.TryParse(s, out _) && Enum.IsDefined(status);

    /// <summary>A status as the API writes it (<c>running</c>); false for anything else, numbers included.</summary>
    public static bool TryParseWire(string? s, out ExperimentStatus status) =>
        Enum.TryParse(s, ignoreCase: true, out status) && !int.TryParse(s, out _) && Enum.IsDefined(status);
}
