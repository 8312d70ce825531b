using System.Text.Json;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence;
using HpSearch.Persistence.Model;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Api.Trials;

/// <summary>Read-side projections of trials (no tracking), shared by the trial and experiment endpoints.</summary>
public static class TrialQueries
{
    /// <summary>Maps trials to summaries, fetching each one's best and last epoch rows in one query.</summary>
    public static async Task<List<TrialSummaryDto>> SummariesAsync(HpSearchDb db, IReadOnlyList<Trial> trials, CancellationToken cancellationToken)
    {
        var ids = trials.Select(t => t.Id).ToList();
        var rows = await (
            from e in db.TrialEpochs.AsNoTracking()
            join t in db.Trials on e.TrialId equals t.Id
            where ids.Contains(t.Id) && (e.Epoch == t.BestEpoch || e.Epoch == t.EpochCount)
            select e).ToListAsync(cancellationToken);
        var byKey = rows.ToDictionary(r => (r.TrialId, r.Epoch));
        return trials.Select(t => ToSummary(t,
            t.BestEpoch is { } b && byKey.TryGetValue((t.Id, b), out var best) ? best : null,
            byKey.TryGetValue((t.Id, t.EpochCount), out var last) ? last : null)).ToList();
    }

    public static TrialSummaryDto ToSummary(Trial t, TrialEpoch? best, TrialEpoch? last) => new(
        t.Id, t.ExperimentId, t.Number, t.Status.ToWire(), t.Stage, Parse(t.ParamsJson)!.Value, t.Attempt, t.WorkerDeaths, t.Worker,
        t.CreatedAt, t.StartedAt, t.FinishedAt, t.EpochCount, t.MaxEpochs, t.BestValue, t.BestEpoch,
        best is null ? null : Metrics(best), last is null ? null : Metrics(last),
        Parse(t.StopReasonJson), t.Error, Parse(t.SummaryJson), t.TestAccuracy, t.TestLoss);

    public static EpochDto ToEpoch(TrialEpoch e) => new(
        e.Epoch, e.TrainLoss, e.TrainAccuracy, e.ValLoss, e.ValAccuracy, e.Lr, e.Seconds, e.GradNorm, Parse(e.ExtraJson), Parse(e.LayersJson));

    /// <summary>The epoch's metrics: the classic columns (null when unset), then every other one it reported (gradNorm, a
    /// trainer's own metrics such as parameters), so any objective can be read from a trial's best epoch.</summary>
    public static Dictionary<string, double?> Metrics(TrialEpoch e)
    {
        var m = new Dictionary<string, double?>
        {
            ["trainLoss"] = e.TrainLoss,
            ["trainAccuracy"] = e.TrainAccuracy,
            ["valLoss"] = e.ValLoss,
            ["valAccuracy"] = e.ValAccuracy,
            ["lr"] = e.Lr,
            ["seconds"] = e.Seconds,
        };
        foreach (var (k, v) in Persistence.Trials.EpochColumns.Read(e)) m.TryAdd(k, v);
        return m;
    }

    public static JsonElement? Parse(string? json)
    {
        if (json is null) return null;
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}
