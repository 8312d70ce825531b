using HpSearch.Domain.Experiments;

namespace HpSearch.Persistence.Model;

/// <summary>
/// One row per experiment that has trials: its trials by status, epochs trained and saved, and the sum of its completed and
/// pruned trials' finish times. Written only by the triggers on <c>trials</c> (decision 0024), in the same statement as the
/// trial rows they count, so a read of one experiment's figures is one primary-key lookup however many trials it has.
/// No row means no trials (every figure zero).
/// </summary>
public sealed class ExperimentCounters
{
    public Guid ExperimentId { get; private set; }
    public int Queued { get; private set; }
    public int Running { get; private set; }
    public int Completed { get; private set; }
    public int Pruned { get; private set; }
    public int Diverged { get; private set; }
    public int Failed { get; private set; }
    public int Cancelled { get; private set; }
    /// <summary>Sum of the trials' <see cref="Trial.EpochCount"/>.</summary>
    public int EpochsTrained { get; private set; }
    /// <summary>Epochs that trials stopped early (pruned, or completed by patience, with a stop reason) did not train.</summary>
    public int EpochsSaved { get; private set; }
    /// <summary>Sum of the finish times (microseconds since 1970) of the completed and pruned trials: with their count, it
    /// changes whenever a trial enters, leaves or re-finishes in the set that parameter importance reads.</summary>
    public decimal FinishedAtSum { get; private set; }

    /// <summary>Zeros: the figures of an experiment without trials.</summary>
    public static ExperimentCounters None(Guid experimentId) => new() { ExperimentId = experimentId };

    /// <summary>Trials of the experiment in <paramref name="status"/>.</summary>
    public int Count(TrialStatus status) => status switch
    {
        TrialStatus.Queued => Queued,
        TrialStatus.Running => Running,
        TrialStatus.Completed => Completed,
        TrialStatus.Pruned => Pruned,
        TrialStatus.Diverged => Diverged,
        TrialStatus.Failed => Failed,
        TrialStatus.Cancelled => Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Every trial of the experiment.</summary>
    public int Trials => Queued + Running + Completed + Pruned + Diverged + Failed + Cancelled;
}
