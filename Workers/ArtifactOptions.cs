namespace HpSearch.Workers;

/// <summary>Bound from the "Artifacts" section: how long kept files last when an experiment's spec does not say
/// (<c>artifacts.retentionDays</c>). The reconciliation job (any node) deletes expired ones.</summary>
public sealed class ArtifactOptions
{
    public const string Section = "Artifacts";

    /// <summary>Days a completed experiment's kept artifacts last; 0 keeps them until deleted by hand.</summary>
    public int RetentionDays { get; set; } = 90;

    public bool IsValid => RetentionDays is >= 0 and <= Domain.Experiments.ArtifactPolicy.MaxRetentionDays;
}
