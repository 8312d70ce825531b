namespace HpSearch.Workers;

/// <summary>Bound from the "Workers" section: whether this process trains, in which pools, with how many slots.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Workers";

    /// <summary>Train trials in this process. The API hosts a pool by default; set false for an API-only node.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Slots of the default pool when <see cref="Pools"/> is empty.</summary>
    public int Slots { get; set; } = 1;

    /// <summary>The pools this node serves (e.g. cpu with 2 slots, gpu with 1); empty means cpu with <see cref="Slots"/>.</summary>
    public List<PoolOptions> Pools { get; set; } = [];

    /// <summary>Data sets fetched and converted at start-up so the first trial does not wait for them.</summary>
    public List<string> PrefetchDatasets { get; set; } = [];

    /// <summary>Engine threads per training slot.</summary>
    public int ThreadsPerSlot { get; set; } = 1;

    /// <summary>Node name shown on the workers page; default host-pid.</summary>
    public string? NodeName { get; set; }

    /// <summary>A file touched after every heartbeat that reached the database: a container's health check reads its age.</summary>
    public string? HeartbeatFile { get; set; }

    public IReadOnlyList<PoolOptions> EffectivePools() =>
        !Enabled ? [] : Pools.Count > 0 ? Pools : [new PoolOptions { Name = "cpu", Slots = Slots }];

    public string EffectiveNodeName() => NodeName ?? $"{Environment.MachineName}-{Environment.ProcessId}";
}

public sealed class PoolOptions
{
    public string Name { get; set; } = "cpu";
    public int Slots { get; set; } = 1;
}
