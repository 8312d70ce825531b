using System.Text.Json;
using HpSearch.Domain.Experiments;
using HpSearch.Api.Trials;
using HpSearch.Persistence;
using HpSearch.Persistence.Experiments;
using HpSearch.Persistence.Model;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Api.Experiments;

/// <summary>Read-side projections of experiments: counts by status, best trial, epochs saved, in a fixed number of queries.</summary>
public static class ExperimentQueries
{
    private sealed record Stats(Dictionary<string, int> Counts, int EpochsTrained, int EpochsSaved);

    public static async Task<List<ExperimentSummaryDto>> SummariesAsync(HpSearchDb db, IReadOnlyList<Experiment> experiments, CancellationToken cancellationToken)
    {
        var stats = await StatsAsync(db, experiments.Select(e => e.Id).ToList(), cancellationToken);
        var bestIds = experiments.Where(e => e.BestTrialId is not null).Select(e => e.BestTrialId!.Value).ToList();
        var bestNumbers = await db.Trials.AsNoTracking().Where(t => bestIds.Contains(t.Id))
            .ToDictionaryAsync(t => t.Id, t => t.Number, cancellationToken);
        return experiments.Select(e => ToSummary(e, stats.GetValueOrDefault(e.Id), e.BestTrialId is { } b && bestNumbers.TryGetValue(b, out var n) ? n : null)).ToList();
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

    private static ExperimentSummaryDto ToSummary(Experiment e, Stats? stats, int? bestNumber)
    {
        stats ??= new Stats([], 0, 0);
        return new ExperimentSummaryDto(e.Id, e.Name, e.Status.ToWire(), e.Strategy, e.Trainer, e.Dataset, e.Pool,
            new ObjectiveDto(e.ObjectiveMetric, e.Maximize ? "maximize" : "minimize"),
            e.CreatedAt, e.StartedAt, e.FinishedAt, e.MaxTrials, e.Parallelism, TrialCountsDto.From(stats.Counts),
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

    /// <summary>Epochs saved = epochs a trial stopped early (pruned, or completed by patience) did not train.</summary>
    private static async Task<Dictionary<Guid, Stats>> StatsAsync(HpSearchDb db, List<Guid> ids, CancellationToken cancellationToken)
    {
        var rows = await db.Trials.AsNoTracking()
            .Where(t => ids.Contains(t.ExperimentId))
            .GroupBy(t => new { t.ExperimentId, t.Status })
            .Select(g => new
            {
                g.Key.ExperimentId,
                g.Key.Status,
                Count = g.Count(),
                Epochs = g.Sum(t => t.EpochCount),
                Saved = g.Sum(t => t.StopReasonJson != null && (t.Status == TrialStatus.Pruned || t.Status == TrialStatus.Completed) && t.MaxEpochs > t.EpochCount
                    ? t.MaxEpochs - t.EpochCount : 0),
            })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.ExperimentId).ToDictionary(g => g.Key, g => new Stats(
            g.ToDictionary(r => r.Status.ToWire(), r => r.Count), g.Sum(r => r.Epochs), g.Sum(r => r.Saved)));
    }
}
