using System.Text.Json;
using HpSearch.Domain.Experiments;
using HpSearch.Api.Trials;
using HpSearch.Persistence;
using HpSearch.Persistence.Experiments;
using HpSearch.Persistence.Model;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Api.Experiments;

/// <summary>Read-side projections of experiments: counts by status, best trial, epochs saved, in a fixed number of queries
/// whose cost does not grow with the experiments' trials (the counts are the trigger-kept <see cref="Counters"/>).</summary>
public static class ExperimentQueries
{
    public static async Task<List<ExperimentSummaryDto>> SummariesAsync(HpSearchDb db, IReadOnlyList<Experiment> experiments, CancellationToken cancellationToken)
    {
        var stats = await Counters.ReadAsync(db, experiments.Select(e => e.Id).ToList(), cancellationToken);
        var bestIds = experiments.Where(e => e.BestTrialId is not null).Select(e => e.BestTrialId!.Value).ToList();
        var bestNumbers = await db.Trials.AsNoTracking().Where(t => bestIds.Contains(t.Id))
            .ToDictionaryAsync(t => t.Id, t => t.Number, cancellationToken);
        return experiments.Select(e => ToSummary(e, stats.GetValueOrDefault(e.Id) ?? ExperimentCounters.None(e.Id), e.BestTrialId is { } b && bestNumbers.TryGetValue(b, out var n) ? n : null)).ToList();
    }

    /// <summary>The summary plus spec, stages and best trial (GET /api/experiments/{id}).</summary>
    public static async Task<ExperimentSummaryDto> DetailAsync(HpSearchDb db, Experiment e, CancellationToken cancellationToken)
    {
        var summary = (await SummariesAsync(db, [e], cancellationToken))[0];
        TrialSummaryDto? best = null;
        if (e.BestTrialId is { } bestId)
        {
            var trial = await db.Trials.AsNoTracking().SingleOrDefaultAsync(t => t.Id == bestId, cancellationToken);
            if (trial is not null) best = (await TrialQueries.SummariesAsync(db, [trial], cancellationToken))[0];
        }
        return summary with
        {
            Spec = TrialQueries.Parse(e.SpecJson),
            Stages = TrialQueries.Parse(e.StagesJson) ?? JsonDocument.Parse("[]").RootElement.Clone(),
            BestTrial = best,
        };
    }

    private static ExperimentSummaryDto ToSummary(Experiment e, ExperimentCounters stats, int? bestNumber)
    {
        return new ExperimentSummaryDto(e.Id, e.Name, e.Status.ToWire(), e.Strategy, e.Trainer, e.Dataset, e.Pool,
            new ObjectiveDto(e.ObjectiveMetric, e.Maximize ? "maximize" : "minimize"),
            e.CreatedAt, e.StartedAt, e.FinishedAt, e.MaxTrials, e.Parallelism, TrialCountsDto.From(stats),
            e.BestValue, e.BestTrialId, bestNumber, stats.EpochsTrained, stats.EpochsTrained + stats.EpochsSaved, stats.EpochsSaved,
            e.CurrentStage, e.ScheduleId, e.FailureReason, e.Regression, e.PreviousBestValue,
            Workers.Schedules.WarmStart.Parse(e.WarmStartJson).Count)
        {
            Objectives = StoredObjectives.Objectives(e).Select(o => new ObjectiveDto(o.Metric, o.Direction)).ToList(),
            Front = StoredObjectives.Front(e).Select(m => new FrontMemberDto(m.TrialId, m.Number, m.Values)).ToList(),
            Tags = e.Tags,
            Note = e.Note,
        };
    }
}
