using System.Collections.Concurrent;

namespace HpSearch.Workers.Nodes;

/// <summary>What each training slot of this node runs right now (shown on the workers page).</summary>
public sealed class SlotRegistry(WorkerOptions options)
{
    private readonly ConcurrentDictionary<(string Pool, int Index), SlotAssignment> _busy = new();
    private readonly Lock _gate = new();

    public string NodeName { get; } = options.EffectiveNodeName();

    public IReadOnlyList<PoolOptions> Pools { get; } = options.EffectivePools();

    /// <summary>Takes the lowest free slot of <paramref name="pool"/>; released by disposing the lease.</summary>
    public SlotLease Take(string pool, Guid experimentId, Guid trialId, int trialNumber)
    {
        lock (_gate)
        {
            var index = 0;
            while (_busy.ContainsKey((pool, index))) index++;
            _busy[(pool, index)] = new SlotAssignment(pool, index, trialId, experimentId, trialNumber, DateTimeOffset.UtcNow);
            return new SlotLease(this, pool, index);
        }
    }

    public IReadOnlyList<SlotAssignment> Snapshot() => _busy.Values.OrderBy(s => s.Pool).ThenBy(s => s.Index).ToList();

    internal void Release(string pool, int index) => _busy.TryRemove((pool, index), out _);
}

public sealed record SlotAssignment(string Pool, int Index, Guid TrialId, Guid ExperimentId, int TrialNumber, DateTimeOffset Since);

public sealed class SlotLease(SlotRegistry registry, string pool, int index) : IDisposable
{
    public string Pool => pool;
    public int Index => index;
    public string Worker => $"{registry.NodeName}/{pool}/{index}";
    public void Dispose() => registry.Release(pool, index);
}
