namespace HpSearch.Persistence.Model;

/// <summary>The best epoch's weights of a trial, kept until the experiment's chosen trial was evaluated on test data.</summary>
public sealed class Checkpoint
{
    public Guid TrialId { get; set; }
    public int Epoch { get; set; }
    public required byte[] Data { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
