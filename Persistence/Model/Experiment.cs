using HpSearch.Domain.Experiments;

namespace HpSearch.Persistence.Model;

/// <summary>A submitted sweep. <see cref="SpecJson"/> is the normalised spec; the other columns are what lists and filters need.</summary>
public sealed class Experiment
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Changes only through <see cref="MoveTo"/>, checked by the Domain's <see cref="Lifecycle"/>.</summary>
    public ExperimentStatus Status { get; private set; } = ExperimentStatus.Queued;
    public required string SpecJson { get; set; }
    public required string Strategy { get; set; }
    public required string Trainer { get; set; }
    public required string Dataset { get; set; }
    public required string Pool { get; set; }
    public required string ObjectiveMetric { get; set; }
    public bool Maximize { get; set; }
    /// <summary>The trial budget in force: the spec's <c>budget.maxTrials</c>, or more once the experiment was extended
    /// (the stored spec stays as submitted; <see cref="Experiments.ExperimentStore.ParseSpec"/> applies this).</summary>
    public int MaxTrials { get; set; }
    public int Parallelism { get; set; }
    public int MaxEpochs { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? CurrentStage { get; set; }
    public string? StagesJson { get; set; }
    public Guid? BestTrialId { get; set; }
    public double? BestValue { get; set; }
    /// <summary>Every objective as a JSON array of {metric, direction}, when there are several (null: the one in
    /// <see cref="ObjectiveMetric"/>).</summary>
    public string? ObjectivesJson { get; set; }
    /// <summary>The Pareto front of a several-objective experiment, a JSON array of {trialId, number, values}, kept current
    /// by the controller; null for a single objective.</summary>
    public string? FrontJson { get; set; }
    public string? FailureReason { get; set; }
    public string? IdempotencyKey { get; set; }
    public Guid? ScheduleId { get; set; }
    public bool CancelRequested { get; set; }
    /// <summary>Set once the strategy said no more trials will be asked for.</summary>
    public bool SamplingDone { get; set; }
    /// <summary>Parameter sets (a JSON array of objects) to run as the first trials, before the strategy is asked: a scheduled
    /// run's warm start from the previous run's best configurations.</summary>
    public string? WarmStartJson { get; set; }
    /// <summary>Set at completion for a scheduled run: its best fell behind the previous run's best by more than the schedule's margin.</summary>
    public bool? Regression { get; set; }
    /// <summary>The previous run's best value this run was compared with.</summary>
    public double? PreviousBestValue { get; set; }

    /// <summary>Labels to find the experiment by (PostgreSQL <c>text[]</c>, GIN-indexed); set at submit, edited with a write key.</summary>
    public List<string> Tags { get; set; } = [];
    /// <summary>A free-text note, or null.</summary>
    public string? Note { get; set; }

    public List<Trial> Trials { get; set; } = [];

    /// <summary>Moves this tracked experiment to <paramref name="to"/>; <see cref="IllegalMoveException"/> if the state machine refuses.</summary>
    public void MoveTo(ExperimentStatus to) => Status = Lifecycle.Move(Status, to);
}
