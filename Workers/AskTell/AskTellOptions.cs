namespace HpSearch.Workers.AskTell;

/// <summary>Bound from the "AskTell" section on every node: how long a client's lease on an external trial lasts without
/// a report or heartbeat. The API hands leases out; the reconciliation job (any node) expires them, so nodes share it.</summary>
public sealed class AskTellOptions
{
    public const string Section = "AskTell";

    /// <summary>Seconds a client may stay silent (no epoch report, no heartbeat) before its trial is offered again.</summary>
    public int LeaseSeconds { get; set; } = 120;

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    public bool IsValid => LeaseSeconds is >= 1 and <= 86_400;
}
