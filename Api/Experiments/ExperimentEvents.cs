using HpSearch.Api.Live;
using HpSearch.Persistence;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Api.Experiments;

/// <summary>
/// Server-sent events for one experiment, fed by this node's <see cref="ChangeFeed"/>: the stream itself reads the database
/// once (does the experiment exist), then only writes the frames its experiment's <see cref="ExperimentWatch"/> read and
/// serialised for every watcher. Events are deltas: <c>experiment</c> (the summary), <c>trial</c> (one trial's summary),
/// <c>epoch</c> (one epoch row), and <c>resync</c> when a client must re-read everything (after the feed reconnected, or
/// when this client fell behind). A client loads the experiment once the stream is open, then applies the deltas.
/// </summary>
public static class ExperimentEvents
{
    /// <summary>A comment line is sent after this long without events, so proxies keep the stream and a gone client is noticed.</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(20);

    public static async Task StreamAsync(Guid id, HttpContext http, IDbContextFactory<HpSearchDb> dbFactory, ChangeFeed feed, CancellationToken cancellationToken)
    {
        await using (var probe = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (!await probe.Experiments.AnyAsync(e => e.Id == id, cancellationToken))
            {
                await Results.NotFound(Problems.NotFound($"experiment {id} does not exist.")).ExecuteAsync(http);
                return;
            }
        }
        // Subscribed before the first byte: a client that loads on "connected" misses nothing committed after its load.
        using var subscription = feed.Subscribe(id);
        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            await http.Response.WriteAsync(": connected\n\n", cancellationToken);
            await http.Response.Body.FlushAsync(cancellationToken);
            var frames = subscription.Frames;
            while (true)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                quiet.CancelAfter(KeepAlive);
                bool more;
                try
                {
                    more = await frames.WaitToReadAsync(quiet.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", cancellationToken);
                    await http.Response.Body.FlushAsync(cancellationToken);
                    continue;
                }
                if (!more) return;
                while (frames.TryRead(out var frame)) await http.Response.WriteAsync(frame, cancellationToken);
                if (subscription.TakeOverflow()) await http.Response.WriteAsync(ExperimentWatch.ResyncFrame, cancellationToken);
                await http.Response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }
}
