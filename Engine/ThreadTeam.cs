using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace HpSearch.Engine;

/// <summary>A fixed team of helper threads that run one parallel region at a time (an OpenMP-style team): the caller
/// and the helpers claim the region's parts in turn, so a helper that wakes late costs nothing but its share.
/// Helpers spin briefly between regions (a training step issues one every ~0.1–2 ms) and then sleep.</summary>
/// <remarks>Parallel.For measured no faster than one thread on the engine's 0.2–2 ms GEMMs here: its second
/// iteration usually ran on the calling thread before a pool thread had woken up.</remarks>
public sealed class ThreadTeam : IDisposable
{
    private static readonly long SpinTicks = Stopwatch.Frequency / 1000; // 1 ms

    private readonly Thread[] _helpers;
    private readonly object _gate = new();
    private int _busy, _sleepers, _generation, _next, _pending, _parts;
    private Action<int>? _body;
    private Exception? _error;
    private volatile bool _disposed;

    /// <param name="size">Threads in the team, the caller included (≥ 1).</param>
    public ThreadTeam(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _helpers = new Thread[size - 1];
        for (int i = 0; i < _helpers.Length; i++)
        {
            _helpers[i] = new Thread(HelperLoop) { IsBackground = true, Name = $"hpsearch-engine-{i + 1}" };
            _helpers[i].Start();
        }
    }

    private static readonly Dictionary<int, ThreadTeam> s_shared = [];

    /// <summary>The process's team of <paramref name="size"/> threads, created on first use and kept for the process's life.</summary>
    public static ThreadTeam Shared(int size)
    {
        lock (s_shared)
        {
            if (!s_shared.TryGetValue(size, out var team)) s_shared[size] = team = new ThreadTeam(size);
            return team;
        }
    }

    /// <summary>Runs <paramref name="body"/>(part) for every part in [0, parts) and returns when all are done; the first
    /// exception is rethrown. A second caller while a region runs (another trial on the same trainer) runs its parts
    /// on its own thread.</summary>
    public void Run(int parts, Action<int> body)
    {
        if (parts <= 0) return;
        if (parts == 1 || _helpers.Length == 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int i = 0; i < parts; i++) body(i);
            return;
        }
        try
        {
            _body = body;
            _parts = parts;
            _error = null;
            Volatile.Write(ref _next, 0);
            Volatile.Write(ref _pending, _helpers.Length);
            Interlocked.Increment(ref _generation);
            if (Volatile.Read(ref _sleepers) > 0)
                lock (_gate) Monitor.PulseAll(_gate);
            Work();
            var spin = new SpinWait();
            while (Volatile.Read(ref _pending) > 0) spin.SpinOnce(sleep1Threshold: -1);
            _body = null;
            if (_error is { } e) ExceptionDispatchInfo.Throw(e);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private void Work()
    {
        var body = _body!;
        int parts = _parts;
        for (int i = Interlocked.Increment(ref _next) - 1; i < parts; i = Interlocked.Increment(ref _next) - 1)
        {
            try { body(i); }
            catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
        }
    }

    private void HelperLoop()
    {
        int seen = 0;
        while (true)
        {
            long until = Stopwatch.GetTimestamp() + SpinTicks;
            while (Volatile.Read(ref _generation) == seen && !_disposed && Stopwatch.GetTimestamp() < until) Thread.SpinWait(32);
            if (Volatile.Read(ref _generation) == seen && !_disposed)
            {
                lock (_gate)
                {
                    // Interlocked: the count must be visible before the generation is read again (a plain store may
                    // pass the load, and the caller would then see no sleeper and not wake this thread).
                    Interlocked.Increment(ref _sleepers);
                    while (Volatile.Read(ref _generation) == seen && !_disposed) Monitor.Wait(_gate, 100);
                    Interlocked.Decrement(ref _sleepers);
                }
            }
            if (_disposed) return;
            seen = Volatile.Read(ref _generation);
            Work();
            Interlocked.Decrement(ref _pending);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        lock (_gate) Monitor.PulseAll(_gate);
    }
}
