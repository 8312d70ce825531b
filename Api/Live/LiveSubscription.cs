using System.Threading.Channels;

namespace HpSearch.Api.Live;

/// <summary>One live stream's share of an <see cref="ExperimentWatch"/>: the server-sent-event frames to write, already
/// serialised once for every stream of the experiment. A stream that falls <see cref="Capacity"/> frames behind loses them
/// and is told to re-read (<see cref="TakeOverflow"/>) instead of holding the node's memory.</summary>
public sealed class LiveSubscription : IDisposable
{
    public const int Capacity = 512;

    private readonly Channel<string> _frames = Channel.CreateBounded<string>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });
    private readonly Action<LiveSubscription> _release;
    private int _overflowed;
    private int _disposed;

    internal LiveSubscription(Action<LiveSubscription> release) => _release = release;

    public ChannelReader<string> Frames => _frames.Reader;

    internal void Offer(string frame)
    {
        if (!_frames.Writer.TryWrite(frame)) Interlocked.Exchange(ref _overflowed, 1);
    }

    /// <summary>True once after frames were dropped for this stream.</summary>
    public bool TakeOverflow() => Interlocked.Exchange(ref _overflowed, 0) == 1;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _frames.Writer.TryComplete();
        _release(this);
    }
}
