using System.Collections.Concurrent;
using HpSearch.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HpSearch.Api.Live;

/// <summary>
/// This node's one database change feed: a single connection that <c>LISTEN</c>s on <see cref="Channel"/> (the triggers
/// of migration ChangeFeedAndReadIndexes notify it at every commit that touches an experiment, a trial or an epoch) and
/// hands each message to the <see cref="ExperimentWatch"/> of its experiment, if any stream watches it. When the connection
/// is lost (a database restart) it reconnects with backoff; on every (re)connect each watch tells its streams to re-read,
/// since what was committed while no one listened is unknown. The streams stay open throughout.
/// </summary>
public sealed partial class ChangeFeed(IConfiguration configuration, IDbContextFactory<HpSearchDb> dbFactory, ILogger<ChangeFeed> logger)
    : BackgroundService
{
    public const string Channel = "hpsearch_changes";

    /// <summary>How long a watch gathers messages before it reads: one epoch is several notifications.</summary>
    public static readonly TimeSpan CoalesceWindow = TimeSpan.FromMilliseconds(250);

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Guid, ExperimentWatch> _watches = new();
    private readonly Lock _gate = new();
    private long _connects;

    /// <summary>True while the LISTEN connection is up.</summary>
    public bool Connected { get; private set; }

    /// <summary>Successful LISTENs since start (1 after the first connect; each reconnect adds one).</summary>
    public long Connects => Interlocked.Read(ref _connects);

    /// <summary>Experiments watched by at least one stream of this node.</summary>
    public int Watched => _watches.Count;

    /// <summary>Joins the experiment's watch (created for its first stream, ended with its last).</summary>
    public LiveSubscription Subscribe(Guid experimentId)
    {
        lock (_gate)
        {
            var watch = _watches.GetOrAdd(experimentId, id => new ExperimentWatch(id, dbFactory, CoalesceWindow, logger));
            var subscription = new LiveSubscription(s => Release(watch, s));
            watch.Add(subscription);
            return subscription;
        }
    }

    private void Release(ExperimentWatch watch, LiveSubscription subscription)
    {
        lock (_gate)
        {
            if (watch.Remove(subscription) > 0) return;
            _watches.TryRemove(watch.ExperimentId, out _);
            watch.Stop();
        }
    }

    private void Dispatch(string payload)
    {
        if (FeedMessage.TryParse(payload) is not { } message) return;
        if (_watches.TryGetValue(message.ExperimentId, out var watch)) watch.Post(message);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString("HpSearch")
            ?? throw new InvalidOperationException("ConnectionStrings:HpSearch is not set."))
        {
            // Its own physical connection, never returned to a pool; keepalives find a dead peer in a half-open network.
            Pooling = false,
            KeepAlive = 15,
            ApplicationName = "hpsearch-change-feed",
        }.ConnectionString;
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                connection.Notification += (_, e) => Dispatch(e.Payload);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                Connected = true;
                var connects = Interlocked.Increment(ref _connects);
                backoff = TimeSpan.FromMilliseconds(250);
                if (connects > 1) LogReconnected(logger);
                // Changes committed while no listener was connected were not heard: every watched experiment is re-read.
                foreach (var watch in _watches.Values) watch.Post(new FeedMessage(FeedMessage.Resync, watch.ExperimentId));
                while (true) await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Connected = false;
                LogLost(logger, e, backoff.TotalMilliseconds);
                await Task.Delay(backoff, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Change feed: the LISTEN connection failed or was lost; reconnecting in {DelayMs} ms (live streams stay open)")]
    private static partial void LogLost(ILogger logger, Exception exception, double delayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Change feed: listening again; every watched experiment is re-read once")]
    private static partial void LogReconnected(ILogger logger);
}
