using HpSearch.Domain.Experiments;

namespace HpSearch.Persistence.Model;

/// <summary>One training run of an experiment. Written idempotently: a re-run (higher <see cref="Attempt"/>) overwrites its epochs.</summary>
public sealed class Trial
{
    public Guid Id { get; set; }
    public Guid ExperimentId { get; set; }
    public int Number { get; set; }
    /// <summary>Changes only through <see cref="MoveTo"/> (tracked rows) or <see cref="Trials.TrialMoves"/> (set-based updates),
    /// both checked by the Domain's <see cref="Lifecycle"/>.</summary>
    public TrialStatus Status { get; private set; } = TrialStatus.Queued;
    public required string ParamsJson { get; set; }
    public string? Stage { get; set; }
    public string? OptionsJson { get; set; }
    public int MaxEpochs { get; set; }
    public int Seed { get; set; }
    /// <summary>The current attempt; every write of a run is conditional on it (a superseded run writes nothing).</summary>
    public int Attempt { get; set; }
    /// <summary>Attempts that started and never finished: the worker running them died.</summary>
    public int WorkerDeaths { get; set; }
    /// <summary>The Hangfire job that runs this trial (reconciliation re-queues a trial whose job is gone).</summary>
    public string? JobId { get; set; }
    public string? Worker { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int EpochCount { get; set; }
    public double? BestValue { get; set; }
    public int? BestEpoch { get; set; }
    public string? StopReasonJson { get; set; }
    public string? Error { get; set; }
    public string? SummaryJson { get; set; }
    public double? TestAccuracy { get; set; }
    public double? TestLoss { get; set; }

    public Experiment? Experiment { get; set; }

    /// <summary>Moves this tracked trial to <paramref name="to"/>; <see cref="IllegalMoveException"/> if the state machine refuses.</summary>
    public void MoveTo(TrialStatus to) => Status = Lifecycle.Move(Status, to);
}
