namespace HpSearch.Persistence.Model;

/// <summary>One row per trial and epoch (primary key), upserted so a re-run never doubles a row.</summary>
public sealed class TrialEpoch
{
    public Guid TrialId { get; set; }
    public int Epoch { get; set; }
    public int Attempt { get; set; }
    public double? TrainLoss { get; set; }
    public double? TrainAccuracy { get; set; }
    public double? ValLoss { get; set; }
    public double? ValAccuracy { get; set; }
    public double? Lr { get; set; }
    public double? Seconds { get; set; }
    public double? GradNorm { get; set; }
    /// <summary>Any further metrics, as a JSON object.</summary>
    public string? ExtraJson { get; set; }
    /// <summary>Per-layer activation statistics, as a JSON array.</summary>
    public string? LayersJson { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}
