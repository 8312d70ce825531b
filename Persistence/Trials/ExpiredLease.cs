namespace HpSearch.Persistence.Trials;

/// <summary>A client's attempt whose lease ran out: the trial went back to the queue.</summary>
public sealed class ExpiredLease
{
    public Guid TrialId { get; set; }
    public Guid ExperimentId { get; set; }
    public int Number { get; set; }
    public int Attempt { get; set; }
    public string? Holder { get; set; }
}
