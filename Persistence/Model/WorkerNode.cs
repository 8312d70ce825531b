namespace HpSearch.Persistence.Model;

/// <summary>A worker process: its pools and slots (JSON), what each slot runs (JSON), and its heartbeat.</summary>
public sealed class WorkerNode
{
    public required string Node { get; set; }
    public required string PoolsJson { get; set; }
    public required string SlotsJson { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset LastHeartbeat { get; set; }
}
