using System.Security.Cryptography;
using HpSearch.Persistence.Model;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Persistence.Artifacts;

/// <summary>A file a trainer produced, before it is stored (a command trainer's artifact folder).</summary>
public sealed record ArtifactFile(string Name, byte[] Data);

/// <summary>An artifact without its bytes, for lists.</summary>
public sealed record ArtifactInfo(Guid TrialId, int TrialNumber, string Name, string Kind, long SizeBytes, string Sha256,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

/// <summary>The one place artifacts are written, kept, pruned and listed. Files of a command trainer are stored when their
/// trial finishes; checkpoints become artifacts when the experiment completes. Then only the kept trials' artifacts stay,
/// each until its expiry; a cancelled or failed experiment keeps none.</summary>
public static class ArtifactStore
{
    /// <summary>Stores a finished trial's files (no expiry yet: <see cref="KeepAsync"/> decides when the experiment completes).</summary>
    public static async Task SaveFilesAsync(HpSearchDb db, Guid trialId, IReadOnlyList<ArtifactFile> files, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var f in files)
        {
            var sha = Convert.ToHexStringLower(SHA256.HashData(f.Data));
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO artifacts (id, trial_id, experiment_id, name, kind, size_bytes, sha256, data, created_at)
                SELECT {Guid.CreateVersion7()}, t.id, t.experiment_id, {f.Name}, {ArtifactKinds.File}, {(long)f.Data.Length}, {sha}, {f.Data}, {now}
                FROM trials t WHERE t.id = {trialId}
                ON CONFLICT (trial_id, name) DO UPDATE SET size_bytes = excluded.size_bytes, sha256 = excluded.sha256,
                    data = excluded.data, created_at = excluded.created_at
                """, cancellationToken);
        }
    }

    /// <summary>Keeps the artifacts of <paramref name="keep"/> (the best trials): their checkpoints are copied in (named
    /// <c>checkpoint-epoch{N}-{trainer}.bin</c>, the trainer that ran the trial: builtin or torchsharp under "auto"), every kept artifact gets <paramref name="expiresAt"/>, and the artifacts of the
    /// experiment's other trials are deleted. Idempotent: a controller run repeated after a fault does the same.</summary>
    public static async Task KeepAsync(HpSearchDb db, Guid experimentId, IReadOnlyCollection<Guid> keep, string trainer,
        DateTimeOffset? expiresAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = keep.ToArray();
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO artifacts (id, trial_id, experiment_id, name, kind, size_bytes, sha256, data, created_at, expires_at)
                SELECT gen_random_uuid(), c.trial_id, t.experiment_id, 'checkpoint-epoch' || c.epoch || '-' || coalesce(t.summary_json->>'trainer', {trainer}) || '.bin',
                       {ArtifactKinds.Checkpoint}, length(c.data), encode(sha256(c.data), 'hex'), c.data, {now}, {expiresAt}
                FROM checkpoints c JOIN trials t ON t.id = c.trial_id
                WHERE t.experiment_id = {experimentId} AND c.trial_id = ANY({ids})
                ON CONFLICT (trial_id, name) DO NOTHING
                """, ct);
            await db.Artifacts.Where(a => a.ExperimentId == experimentId && ids.Contains(a.TrialId))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.ExpiresAt, expiresAt), ct);
            await db.Artifacts.Where(a => a.ExperimentId == experimentId && !ids.Contains(a.TrialId)).ExecuteDeleteAsync(ct);
            await tx.CommitAsync(ct);
        }, cancellationToken);
    }

    /// <summary>Deletes every artifact of an experiment (it was cancelled or failed).</summary>
    public static Task<int> DeleteAllAsync(HpSearchDb db, Guid experimentId, CancellationToken cancellationToken) =>
        db.Artifacts.Where(a => a.ExperimentId == experimentId).ExecuteDeleteAsync(cancellationToken);

    /// <summary>Deletes the artifacts whose expiry passed; returns how many.</summary>
    public static Task<int> PurgeExpiredAsync(HpSearchDb db, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Artifacts.Where(a => a.ExpiresAt != null && a.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);

    /// <summary>The artifacts (without their bytes) of an experiment, or of one of its trials, by trial number then name.</summary>
    public static Task<List<ArtifactInfo>> ListAsync(HpSearchDb db, Guid experimentId, Guid? trialId, CancellationToken cancellationToken) =>
        (from a in db.Artifacts.AsNoTracking()
         join t in db.Trials on a.TrialId equals t.Id
         where a.ExperimentId == experimentId && (trialId == null || a.TrialId == trialId)
         orderby t.Number, a.Name
         select new ArtifactInfo(a.TrialId, t.Number, a.Name, a.Kind, a.SizeBytes, a.Sha256, a.CreatedAt, a.ExpiresAt))
            .ToListAsync(cancellationToken);
}
