using HpSearch.Domain.EarlyStopping;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence;
using HpSearch.Persistence.Trials;
using HpSearch.Persistence.Experiments;
using HpSearch.Workers.Training;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Workers.Jobs;

/// <summary>
/// Stores each epoch of one trial attempt and decides whether it goes on: cancelled experiment, superseded attempt, or the
/// stopping rule. At-least-once: a trial can run twice, so epochs are upserted by (trial, epoch) and every write is fenced
/// on the attempt (<see cref="TrialWrites"/>). A database fault is kept in <see cref="StoreFault"/>: whatever the trainer
/// makes of the exception, the job knows the training itself did not fail.
/// </summary>
public sealed class TrialObserver(
    IDbContextFactory<HpSearchDb> dbFactory,
    Guid experimentId,
    Guid trialId,
    int trialNumber,
    int attempt,
    ExperimentSpec spec,
    bool stops) : ITrainingObserver
{
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private double? _best;
    private int? _bestEpoch;

    /// <summary>Set when a stopping rule ended the trial.</summary>
    public StopDecision? Decision { get; private set; }

    /// <summary>Set when the experiment was cancelled while the trial ran.</summary>
    public bool Cancelled { get; private set; }

    /// <summary>Set when a newer attempt owns the trial: this run stops and writes nothing more.</summary>
    public bool Superseded { get; private set; }

    /// <summary>The database exception a write or read of this observer threw, if any.</summary>
    public Exception? StoreFault { get; private set; }

    public int EpochsSeen { get; private set; }

    public async ValueTask OnSummaryAsync(string key, double value, CancellationToken cancellationToken)
    {
        await GuardAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (!await TrialWrites.SetSummaryAsync(db, trialId, attempt, key, value, cancellationToken)) Superseded = true;
            return true;
        });
    }

    public async ValueTask OnRunAsync(string trainer, string device, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync(
            "UPDATE trials SET summary_json = coalesce(summary_json, jsonb_build_object()) || jsonb_build_object('trainer', {0}::text, 'device', {1}::text), updated_at = now() WHERE id = {2}",
            [trainer, device, trialId], cancellationToken);
    }

    public async ValueTask<bool> OnEpochAsync(EpochReport epoch, CancellationToken cancellationToken)
    {
        EpochsSeen = epoch.Epoch;
        foreach (var o in spec.Objectives)
            if (epoch.Metrics.ContainsKey(o.Metric)) _reported.Add(o.Metric);
        var value = epoch.Metrics.TryGetValue(spec.Objective.Metric, out var v) ? v : double.NaN;
        (_best, _bestEpoch) = TrialEpochs.WithEpoch(spec.Objective, _best, _bestEpoch, epoch.Epoch, value);
        return await GuardAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var layersJson = epoch.Layers is null ? null : WireJson.Serialize(epoch.Layers);
            var verdict = await TrialEpochs.RecordAsync(db, spec, experimentId, trialId, trialNumber, attempt, stops,
                epoch.Epoch, epoch.Metrics, layersJson, _best, _bestEpoch, cancellationToken);
            Superseded = verdict.Superseded;
            Cancelled = verdict.Cancelled;
            Decision = verdict.Decision;
            return verdict.GoesOn;
        });
    }

    /// <summary>Why a trial that reported epochs cannot be judged: the objectives none of its epochs named (a trainer that
    /// does not report the spec's metric fails the trial rather than leave it without a value); null when all were there.</summary>
    public string? MissingObjectives()
    {
        var missing = spec.Objectives.Select(o => o.Metric).Where(m => !_reported.Contains(m)).ToList();
        if (EpochsSeen == 0 || missing.Count == 0) return null;
        return $"the trainer never reported the objective {string.Join(", ", missing.Select(m => $"'{m}'"))} in {EpochsSeen} epochs; "
               + "its epochs must name every metric of the spec's objective(s).";
    }

    private async Task<bool> GuardAsync(Func<Task<bool>> write)
    {
        try
        {
            return await write();
        }
        catch (Exception e) when (StoreFaults.IsStoreFault(e))
        {
            StoreFault = e;
            throw;
        }
    }
}
