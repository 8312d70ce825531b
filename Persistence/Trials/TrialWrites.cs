using HpSearch.Domain.Experiments;
using HpSearch.Persistence.Model;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Persistence.Trials;

/// <summary>
/// Every write a trial run makes, fenced in the database: each statement is conditional on <c>trials.attempt</c> still being
/// the run's attempt, so a run that was paused (SIGSTOP, a long GC, a partition) and woke after its trial was handed to
/// another worker writes nothing. Epoch rows are upserted by (trial, epoch): a re-run loses and doubles nothing. Status
/// moves are the Domain's <see cref="Lifecycle"/> moves (<see cref="TrialMoves"/>): an illegal one throws before any I/O.
/// </summary>
public static class TrialWrites
{
    /// <summary>Takes the trial for a new attempt. A trial found <c>running</c> was left by a worker that died: counted.
    /// Null when the trial is no longer queued or running.</summary>
    public static async Task<AttemptStart?> StartAttemptAsync(HpSearchDb db, Guid trialId, string worker, CancellationToken cancellationToken)
    {
        var sources = Lifecycle.SourcesOf(TrialStatus.Running).Select(s => s.ToWire()).ToArray(); // queued, running (a dead attempt)
        var running = TrialStatus.Running.ToWire();
        var started = await db.Database.SqlQuery<AttemptStartRow>($"""
            UPDATE trials SET attempt = attempt + 1,
                worker_deaths = worker_deaths + CASE WHEN status = {running} THEN 1 ELSE 0 END,
                status = {running}, worker = {worker}, started_at = now(), updated_at = now(), finished_at = NULL,
                epoch_count = 0, best_value = NULL, best_epoch = NULL, stop_reason_json = NULL, error = NULL
            WHERE id = {trialId} AND status = ANY({sources})
            RETURNING attempt AS "Attempt", worker_deaths AS "WorkerDeaths"
            """).ToListAsync(cancellationToken);
        if (started.Count == 0) return null;
        // A new attempt recomputes the same seeded curve: earlier attempts' rows go; a stale writer's later insert is fenced.
        await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM trial_epochs WHERE trial_id = {trialId}", cancellationToken);
        return new AttemptStart(started[0].Attempt, started[0].WorkerDeaths);
    }

    /// <summary>Upserts one epoch row with its stopping score (<see cref="Model.TrialScore"/>: <paramref name="score"/>, the
    /// objective as a Domain score, and the running sum of the trial's scores), and the trial's progress, if
    /// <paramref name="attempt"/> is still current; null otherwise. Two statements whatever the size of the experiment.</summary>
    public static async Task<EpochWrite?> WriteEpochAsync(HpSearchDb db, Guid trialId, int attempt, int epoch, IReadOnlyDictionary<string, double> metrics,
        string? layersJson, double? best, int? bestEpoch, double score, CancellationToken cancellationToken)
    {
        double? M(string k) => metrics.TryGetValue(k, out var x) && double.IsFinite(x) ? x : null;
        var extra = metrics.Where(kv => !EpochColumns.Metrics.Contains(kv.Key) && double.IsFinite(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value);
        var extraJson = extra.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(extra);
        // FOR SHARE: the attempt is checked on the row as committed when this statement runs, and a new attempt's start waits for it.
        // The score row goes with the epoch row (a new attempt's DELETE of its epochs cascades to it); its running sum adds this
        // epoch's score to the previous epoch's sum, in epoch order, as the Domain's PeerAnswer.RunningMean sums.
        var written = await db.Database.SqlQuery<EpochWriteRow>($"""
            WITH t AS (
                SELECT id, experiment_id, attempt, stage, max_epochs FROM trials
                WHERE id = {trialId} AND attempt = {attempt} AND status = {TrialStatus.Running.ToWire()}
                FOR SHARE),
            ep AS (
                INSERT INTO trial_epochs (trial_id, epoch, attempt, train_loss, train_accuracy, val_loss, val_accuracy, lr, seconds, grad_norm, extra_json, layers_json, recorded_at)
                SELECT t.id, {epoch}, t.attempt, {M("trainLoss")}, {M("trainAccuracy")}, {M("valLoss")}, {M("valAccuracy")}, {M("lr")}, {M("seconds")}, {M("gradNorm")}, {extraJson}::jsonb, {layersJson}::jsonb, now()
                FROM t
                ON CONFLICT (trial_id, epoch) DO UPDATE SET attempt = excluded.attempt, train_loss = excluded.train_loss, train_accuracy = excluded.train_accuracy,
                    val_loss = excluded.val_loss, val_accuracy = excluded.val_accuracy, lr = excluded.lr, seconds = excluded.seconds, grad_norm = excluded.grad_norm,
                    extra_json = excluded.extra_json, layers_json = excluded.layers_json, recorded_at = excluded.recorded_at
                RETURNING trial_id),
            sc AS (
                INSERT INTO trial_scores (trial_id, epoch, experiment_id, stage_key, score, running_sum)
                SELECT t.id, {epoch}, t.experiment_id, coalesce(t.stage, ''), {score},
                    {score} + coalesce((SELECT p.running_sum FROM trial_scores p WHERE p.trial_id = t.id AND p.epoch = {epoch} - 1), 0)
                FROM t JOIN ep ON ep.trial_id = t.id
                ON CONFLICT (trial_id, epoch) DO UPDATE SET score = excluded.score, running_sum = excluded.running_sum
                RETURNING trial_id)
            SELECT e.cancel_requested AS "CancelRequested", t.stage AS "Stage", t.max_epochs AS "MaxEpochs"
            FROM t JOIN sc ON sc.trial_id = t.id JOIN experiments e ON e.id = t.experiment_id
            """).ToListAsync(cancellationToken);
        if (written.Count == 0) return null;
        var progressed = await db.Trials.Where(t => t.Id == trialId && t.Attempt == attempt).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.EpochCount, epoch)
            .SetProperty(t => t.BestValue, best)
            .SetProperty(t => t.BestEpoch, bestEpoch)
            .SetProperty(t => t.UpdatedAt, DateTimeOffset.UtcNow), cancellationToken) > 0;
        return progressed ? new EpochWrite(written[0].CancelRequested, written[0].Stage, written[0].MaxEpochs) : null;
    }

    /// <summary>Sets one key of the trial's summary (a six-step check's figure) if the attempt is current.</summary>
    public static async Task<bool> SetSummaryAsync(HpSearchDb db, Guid trialId, int attempt, string key, double value, CancellationToken cancellationToken)
    {
        var path = "{" + key + "}";
        var json = double.IsFinite(value) ? value.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "null";
        return await db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE trials SET summary_json = jsonb_set(coalesce(summary_json, jsonb_build_object()), {path}::text[], {json}::jsonb), updated_at = now()
            WHERE id = {trialId} AND attempt = {attempt}
            """, cancellationToken) > 0;
    }

    /// <summary>Records the attempt's one outcome (and the best epoch's weights, and a command trainer's files) in one
    /// transaction; false when superseded or already finished. <see cref="IllegalMoveException"/> for a status a running trial
    /// cannot end in (queued, running).</summary>
    public static async Task<bool> FinishAsync(HpSearchDb db, Guid trialId, int attempt, TrialStatus status, string? error, string? stopReasonJson,
        byte[]? checkpoint, int checkpointEpoch, CancellationToken cancellationToken, IReadOnlyList<Artifacts.ArtifactFile>? files = null)
    {
        if (!status.IsFinished()) throw new IllegalMoveException($"a trial's outcome cannot be {status.ToWire()}.");
        Lifecycle.Move(TrialStatus.Running, status);
        var strategy = db.Database.CreateExecutionStrategy();
        var finished = await strategy.ExecuteAsync(async ct =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var updated = await db.Trials.Where(t => t.Id == trialId && t.Attempt == attempt).MoveAsync(TrialStatus.Running, status, s => s
                .SetProperty(t => t.Error, error)
                .SetProperty(t => t.StopReasonJson, stopReasonJson), ct);
            if (updated == 0) return false;
            var now = DateTimeOffset.UtcNow;
            if (checkpoint is not null)
            {
                await db.Database.ExecuteSqlInterpolatedAsync($"""
                    INSERT INTO checkpoints (trial_id, epoch, data, created_at) VALUES ({trialId}, {checkpointEpoch}, {checkpoint}, {now})
                    ON CONFLICT (trial_id) DO UPDATE SET epoch = excluded.epoch, data = excluded.data, created_at = excluded.created_at
                    """, ct);
            }
            if (files is { Count: > 0 }) await Artifacts.ArtifactStore.SaveFilesAsync(db, trialId, files, now, ct);
            await tx.CommitAsync(ct);
            return true;
        }, cancellationToken);
        if (finished) Observability.ServiceMetrics.TrialFinished(status);
        return finished;
    }

    /// <summary>Fails a trial whose workers kept dying, if <paramref name="attempt"/> is still current.</summary>
    public static Task<int> FailAsync(HpSearchDb db, Guid trialId, int attempt, string error, CancellationToken cancellationToken) =>
        db.Trials.Where(t => t.Id == trialId && t.Attempt == attempt)
            .MoveAsync(TrialStatus.Running, TrialStatus.Failed, s => s.SetProperty(t => t.Error, error), cancellationToken);

    /// <summary>Hands a running attempt back to the queue (a clean stop, or a database fault Hangfire will retry): the next
    /// start does not count it as a worker death.</summary>
    public static Task<int> RequeueAsync(HpSearchDb db, Guid trialId, int attempt, CancellationToken cancellationToken) =>
        db.Trials.Where(t => t.Id == trialId && t.Attempt == attempt)
            .MoveAsync(TrialStatus.Running, TrialStatus.Queued, s => s.SetProperty(t => t.Worker, (string?)null), cancellationToken);

    private sealed class EpochWriteRow
    {
        public bool CancelRequested { get; set; }
        public string? Stage { get; set; }
        public int MaxEpochs { get; set; }
    }

    private sealed class AttemptStartRow
    {
        public int Attempt { get; set; }
        public int WorkerDeaths { get; set; }
    }
}
