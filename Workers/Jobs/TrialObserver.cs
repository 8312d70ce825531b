using HpSearch.Domain.EarlyStopping;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence;
using HpSearch.Workers.Experiments;
using HpSearch.Workers.Training;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Workers.Jobs;

/// <summary>
/// Stores each epoch of one trial attempt and decides whether it goes on: cancelled experiment, or the stopping rule.
/// At-least-once: a trial can run twice, so epochs are upserted by (trial, epoch) and never doubled.
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
    private double? _best;
    private int? _bestEpoch;

    /// <summary>Set when a stopping rule ended the trial.</summary>
    public StopDecision? Decision { get; private set; }

    /// <summary>Set when the experiment was cancelled while the trial ran.</summary>
    public bool Cancelled { get; private set; }

    public int EpochsSeen { get; private set; }

    public async ValueTask OnSummaryAsync(string key, double value, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var path = "{" + key + "}";
        var json = double.IsFinite(value) ? value.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "null";
        await db.Database.ExecuteSqlRawAsync(
            // No literal braces here: ExecuteSqlRaw formats the text with {0}-style placeholders ('{}' threw FormatException).
            "UPDATE trials SET summary_json = jsonb_set(coalesce(summary_json, jsonb_build_object()), {0}::text[], {1}::jsonb), updated_at = now() WHERE id = {2}",
            [path, json, trialId], cancellationToken);
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
        var value = epoch.Metrics.TryGetValue(spec.Objective.Metric, out var v) ? v : double.NaN;
        if (double.IsFinite(value) && (_best is null || spec.Objective.IsBetter(value, _best.Value)))
        {
            _best = value;
            _bestEpoch = epoch.Epoch;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        double? M(string k) => epoch.Metrics.TryGetValue(k, out var x) && double.IsFinite(x) ? x : null;
        var known = new HashSet<string> { "trainLoss", "trainAccuracy", "valLoss", "valAccuracy", "lr", "seconds", "gradNorm" };
        var extra = epoch.Metrics.Where(kv => !known.Contains(kv.Key) && double.IsFinite(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value);
        var extraJson = extra.Count == 0 ? null : WireJson.Serialize(extra);
        var layersJson = epoch.Layers is null ? null : WireJson.Serialize(epoch.Layers);
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO trial_epochs (trial_id, epoch, attempt, train_loss, train_accuracy, val_loss, val_accuracy, lr, seconds, grad_norm, extra_json, layers_json, recorded_at)
            VALUES ({trialId}, {epoch.Epoch}, {attempt}, {M("trainLoss")}, {M("trainAccuracy")}, {M("valLoss")}, {M("valAccuracy")}, {M("lr")}, {M("seconds")}, {M("gradNorm")}, {extraJson}::jsonb, {layersJson}::jsonb, now())
            ON CONFLICT (trial_id, epoch) DO UPDATE SET attempt = excluded.attempt, train_loss = excluded.train_loss, train_accuracy = excluded.train_accuracy,
                val_loss = excluded.val_loss, val_accuracy = excluded.val_accuracy, lr = excluded.lr, seconds = excluded.seconds, grad_norm = excluded.grad_norm,
                extra_json = excluded.extra_json, layers_json = excluded.layers_json, recorded_at = excluded.recorded_at
            """, cancellationToken);
        await db.Trials.Where(t => t.Id == trialId).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.EpochCount, epoch.Epoch)
            .SetProperty(t => t.BestValue, _best)
            .SetProperty(t => t.BestEpoch, _bestEpoch)
            .SetProperty(t => t.UpdatedAt, DateTimeOffset.UtcNow), cancellationToken);

        var cancel = await db.Experiments.Where(e => e.Id == experimentId).Select(e => e.CancelRequested).SingleAsync(cancellationToken);
        if (cancel)
        {
            Cancelled = true;
            return false;
        }
        if (!stops) return true;

        // The Domain's whole check: the spec's rule with the trial's own MaxEpochs, compared within its stage.
        var records = await ExperimentStore.LoadTrialRecordsAsync(db, experimentId, cancellationToken);
        var mine = records.FirstOrDefault(r => r.Number == trialNumber);
        if (mine is null) return true;
        Decision = StoppingRules.Check(spec, mine, records);
        return Decision is null;
    }
}
