namespace HpSearch.Persistence.Model;

/// <summary>A file kept from a trial of a completed experiment (a checkpoint, or a file of a command trainer's artifact
/// folder), downloadable until <see cref="ExpiresAt"/>.</summary>
public sealed class Artifact
{
    public Guid Id { get; set; }
    public Guid TrialId { get; set; }
    public Guid ExperimentId { get; set; }
    /// <summary>A relative path with '/' separators, unique within the trial.</summary>
    public required string Name { get; set; }
    /// <summary><see cref="ArtifactKinds"/>: "checkpoint" or "file".</summary>
    public required string Kind { get; set; }
    public long SizeBytes { get; set; }
    /// <summary>Lower-case hex SHA-256 of <see cref="Data"/>.</summary>
    public required string Sha256 { get; set; }
    public required byte[] Data { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
}

public static class ArtifactKinds
{
    public const string Checkpoint = "checkpoint";
    public const string File = "file";
}
