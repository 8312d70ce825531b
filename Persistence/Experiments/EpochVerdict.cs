using HpSearch.Domain.EarlyStopping;

namespace HpSearch.Persistence.Experiments;

/// <summary>What follows one stored epoch: go on, stop by a stopping rule (<see cref="Decision"/>), stop because the
/// experiment was cancelled, or nothing at all because a newer attempt owns the trial.</summary>
public sealed record EpochVerdict(bool Superseded, bool Cancelled, StopDecision? Decision)
{
    public static readonly EpochVerdict GoOn = new(false, false, null);
    public static readonly EpochVerdict Stale = new(true, false, null);
    public static readonly EpochVerdict ExperimentCancelled = new(false, true, null);

    public static EpochVerdict Stop(StopDecision decision) => new(false, false, decision);

    public bool GoesOn => !Superseded && !Cancelled && Decision is null;
}
