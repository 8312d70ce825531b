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

    /// <summary>Quartz scheduler name shared by every node of one deployment (the clustered store's SCHED_NAME).</summary>
    public string SchedulerName { get; set; } = "hpsearch";

    /// <summary>Node name shown on the workers page; default host-pid.</summary>
    public string? NodeName { get; set; }

    /// <summary>How long an idle scheduler waits before polling the job store (cross-process dispatch latency).</summary>
    public int IdleWaitMilliseconds { get; set; } = 1000;

    /// <summary>Cluster check-in interval; a node silent for about twice this is declared dead and its trials re-run.</summary>
    public int CheckinIntervalMilliseconds { get; set; } = 2000;

    public int CheckinMisfireThresholdMilliseconds { get; set; } = 4000;

    /// <summary>How late a cron firing may start before it counts as missed and the schedule's misfire policy applies
    /// (skip, or one run now); also how often the store looks for missed firings.</summary>
    public int MisfireThresholdMilliseconds { get; set; } = 60_000;

    public IReadOnlyList<PoolOptions> EffectivePools() =>
        !Enabled ? [] : Pools.Count > 0 ? Pools : [new PoolOptions { Name = "cpu", Slots = Slots }];

    public string EffectiveNodeName() => NodeName ?? $"{Environment.MachineName}-{Environment.ProcessId}";
}

public sealed class PoolOptions
{
    public string Name { get; set; } = "cpu";
    public int Slots { get; set; } = 1;
}
