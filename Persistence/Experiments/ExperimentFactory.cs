using HpSearch.Domain.Experiments;
using HpSearch.Persistence.Model;

namespace HpSearch.Persistence.Experiments;

/// <summary>Builds the stored row of a validated spec: the one code path of POST /api/experiments and of a schedule's firing.</summary>
public static class ExperimentFactory
{
    public static Experiment Create(ExperimentSpec spec, string specJson, DateTimeOffset now, string? idempotencyKey = null, Guid? scheduleId = null) => new()
    {
        Id = Guid.CreateVersion7(),
        Name = spec.Name,
        SpecJson = specJson,
        Strategy = spec.Strategy.Kind switch { StrategyKind.SixStep => "six-step", var k => k.ToString().ToLowerInvariant() },
        Trainer = spec.Trainer,
        Dataset = spec.Dataset,
        Pool = spec.Pool,
        ObjectiveMetric = spec.Objective.Metric,
        Maximize = spec.Objective.Maximize,
        ObjectivesJson = StoredObjectives.ObjectivesJson(spec),
        MaxTrials = spec.Budget.MaxTrials,
        Parallelism = spec.Budget.Parallelism,
        MaxEpochs = spec.Budget.MaxEpochs,
        CreatedAt = now,
        UpdatedAt = now,
        IdempotencyKey = idempotencyKey,
        ScheduleId = scheduleId,
        Tags = [.. spec.Tags],
        Note = spec.Note,
    };
}
