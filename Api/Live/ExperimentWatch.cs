using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using HpSearch.Api.Experiments;
using HpSearch.Api.Trials;
using HpSearch.Persistence;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Api.Live;

/// <summary>
/// The one reader of an experiment's changes on this node, however many streams watch it: it gathers the feed's messages
/// for <see cref="ChangeFeed.CoalesceWindow"/>, reads what changed once (the experiment's summary when its row or a trial's
/// status changed, the changed trials' summaries, the new epoch rows), serialises the events once and hands the same
/// frames to every subscribed stream. Its database work grows with the experiment's changes, never with its watchers.
/// </summary>
public sealed partial class ExperimentWatch
{
    /// <summary>The summary (epochs trained, counts) is re-sent at least this often while epochs arrive without status changes.</summary>
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromSeconds(5);

    public const string ResyncFrame = "event: resync\ndata: {}\n\n";

    private readonly Channel<FeedMessage> _inbox = Channel.CreateUnbounded<FeedMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<LiveSubscription> _subscribers = [];
    private readonly IDbContextFactory<HpSearchDb> _dbFactory;
    private readonly TimeSpan _window;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private DateTimeOffset _summarySent = DateTimeOffset.MinValue;

    internal ExperimentWatch(Guid experimentId, IDbContextFactory<HpSearchDb> dbFactory, TimeSpan window, ILogger logger)
    {
        ExperimentId = experimentId;
        _dbFactory = dbFactory;
        _window = window;
        _logger = logger;
        _ = Task.Run(() => RunAsync(_stop.Token));
    }

    public Guid ExperimentId { get; }

    internal int Add(LiveSubscription subscription)
    {
        lock (_subscribers)
        {
            _subscribers.Add(subscription);
            return _subscribers.Count;
        }
    }

    internal int Remove(LiveSubscription subscription)
    {
        lock (_subscribers)
        {
            _subscribers.Remove(subscription);
            return _subscribers.Count;
        }
    }

    internal void Post(FeedMessage message) => _inbox.Writer.TryWrite(message);

    internal void Stop()
    {
        _inbox.Writer.TryComplete();
        _stop.Cancel();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _inbox.Reader.WaitToReadAsync(cancellationToken))
            {
                // A trial's epoch is two or three notifications (the epoch row, the trial row): one read covers them all.
                await Task.Delay(_window, cancellationToken);
                var batch = new List<FeedMessage>();
                while (_inbox.Reader.TryRead(out var m)) batch.Add(m);
                string frames;
                try
                {
                    frames = await ReadFramesAsync(batch, cancellationToken);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    // The streams cannot know what they missed: each re-reads the experiment when it can.
                    LogReadFailed(_logger, e, ExperimentId);
                    frames = ResyncFrame;
                }
                if (frames.Length == 0) continue;
                LiveSubscription[] targets;
                lock (_subscribers) targets = [.. _subscribers];
                foreach (var s in targets) s.Offer(frames);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The last stream of this experiment closed.
        }
    }

    private async Task<string> ReadFramesAsync(List<FeedMessage> batch, CancellationToken cancellationToken)
    {
        if (batch.Any(m => m.Kind == FeedMessage.Resync)) return ResyncFrame;
        var trialIds = batch.Where(m => m.Kind == FeedMessage.Trial).Select(m => m.TrialId!.Value).Distinct().ToList();
        var epochKeys = batch.Where(m => m.Kind == FeedMessage.EpochRow).Select(m => (Trial: m.TrialId!.Value, Epoch: m.Epoch!.Value)).Distinct().ToList();
        var summaryDue = batch.Any(m => m.Kind == FeedMessage.Experiment || m.StatusChanged)
            || (batch.Count > 0 && DateTimeOffset.UtcNow - _summarySent >= SummaryInterval);

        var sb = new StringBuilder();
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
        if (summaryDue)
        {
            var experiment = await db.Experiments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == ExperimentId, cancellationToken);
            if (experiment is not null)
            {
                Append(sb, "experiment", (await ExperimentQueries.SummariesAsync(db, [experiment], cancellationToken))[0]);
                _summarySent = DateTimeOffset.UtcNow;
            }
        }
        if (trialIds.Count > 0)
        {
            var trials = await db.Trials.AsNoTracking().Where(t => trialIds.Contains(t.Id) && t.ExperimentId == ExperimentId)
                .OrderBy(t => t.Number).ToListAsync(cancellationToken);
            foreach (var s in await TrialQueries.SummariesAsync(db, trials, cancellationToken)) Append(sb, "trial", s);
        }
        if (epochKeys.Count > 0)
        {
            var ids = epochKeys.Select(k => k.Trial).ToArray();
            var epochs = epochKeys.Select(k => k.Epoch).ToArray();
            var rows = await (
                from e in db.TrialEpochs.FromSqlInterpolated($"SELECT * FROM trial_epochs WHERE (trial_id, epoch) IN (SELECT * FROM unnest({ids}, {epochs}))").AsNoTracking()
                join t in db.Trials on e.TrialId equals t.Id
                orderby t.Number, e.Epoch
                select new { e, t.Number }).ToListAsync(cancellationToken);
            foreach (var row in rows)
                Append(sb, "epoch", new EpochEventDto(row.e.TrialId, row.Number, row.e.Epoch, TrialQueries.ToEpoch(row.e)));
        }
        return sb.ToString();
    }

    private static void Append<T>(StringBuilder sb, string name, T data) =>
        sb.Append("event: ").Append(name).Append("\ndata: ").Append(JsonSerializer.Serialize(data, ExperimentsApi.JsonOptions)).Append("\n\n");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live updates of experiment {ExperimentId}: reading its changes failed; its streams were told to re-read")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, Guid experimentId);
}
