using System.Text.Json;
using HpSearch.Domain.Validation;

namespace HpSearch.Domain.Experiments;

/// <summary>What an experiment keeps once it completed: the files (checkpoints of the built-in and TorchSharp trainers, a
/// command trainer's artifact folder) of its <see cref="KeepTop"/> best trials, for <see cref="RetentionDays"/> days
/// (null: the operator's default, <c>Artifacts:RetentionDays</c>).</summary>
public sealed record ArtifactPolicy(int KeepTop = 1, int? RetentionDays = null)
{
    public const int MaxKeepTop = 20;
    public const int MaxRetentionDays = 3650;

    public static readonly ArtifactPolicy Default = new();

    /// <summary>Reads <c>artifacts</c> of a spec; absent gives <see cref="Default"/>.</summary>
    public static ArtifactPolicy Read(JsonElement spec, SpecErrors errors)
    {
        if (!JsonRead.TryGet(spec, "artifacts", out var o)) return Default;
        if (o.ValueKind != JsonValueKind.Object)
        {
            errors.Add("artifacts", "must be an object.");
            return Default;
        }
        JsonRead.RejectUnknown(o, "artifacts", errors, "keepTop", "retentionDays");
        var keep = JsonRead.Int(o, "keepTop", "artifacts.keepTop", errors) ?? Default.KeepTop;
        if (keep is < 0 or > MaxKeepTop) errors.Add("artifacts.keepTop", $"must be between 0 and {MaxKeepTop}.");
        var days = JsonRead.Int(o, "retentionDays", "artifacts.retentionDays", errors);
        if (days is < 1 or > MaxRetentionDays) errors.Add("artifacts.retentionDays", $"must be between 1 and {MaxRetentionDays}.");
        return new ArtifactPolicy(Math.Clamp(keep, 0, MaxKeepTop), days);
    }
}
