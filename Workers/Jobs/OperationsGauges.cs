using System.Diagnostics.Metrics;
using Hangfire;
using HpSearch.Persistence;
using HpSearch.Persistence.Observability;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace HpSearch.Workers.Jobs;

/// <summary>
/// Gauges read when metrics are collected (a Prometheus scrape), on the <see cref="ServiceMetrics.MeterName"/> meter: open trials
/// (queued, running) by status and pool, through the partial index on open trials, so the read does not grow with finished
/// trials (those are counted as they finish: hpsearch.trials.finished); and the jobs waiting in each Hangfire queue.
/// A failed read is logged and reports nothing for that scrape.
/// </summary>
public sealed partial class OperationsGauges : IDisposable
{
    private readonly Meter _meter = new(ServiceMetrics.MeterName, "1.0");
    private readonly IDbContextFactory<HpSearchDb> _dbFactory;
    private readonly JobStorage _storage;
    private readonly ILogger<OperationsGauges> _logger;
    private readonly string[] _queues;

    public OperationsGauges(IDbContextFactory<HpSearchDb> dbFactory, JobStorage storage, WorkerOptions workers, ILogger<OperationsGauges> logger)
    {
        (_dbFactory, _storage, _logger) = (dbFactory, storage, logger);
        // Reported even when empty: the control queue and this node's pools; other queues once they hold jobs.
        _queues = [JobQueue.ControlQueue, .. workers.EffectivePools().Select(p => p.Name)];
        _meter.CreateObservableGauge("hpsearch.trials.open", OpenTrials, "{trial}", "Queued and running trials, by status and pool.");
        _meter.CreateObservableGauge("hpsearch.queue.depth", QueueDepths, "{job}", "Jobs enqueued and not yet fetched, by Hangfire queue.");
    }

    public IEnumerable<Measurement<int>> OpenTrials()
    {
        try
        {
            using var db = _dbFactory.CreateDbContext();
            return db.Database.SqlQuery<OpenCount>($"""
                SELECT e.pool AS "Pool", t.status AS "Status", count(*)::int AS "Count"
                FROM trials t JOIN experiments e ON e.id = t.experiment_id
                WHERE t.status IN ('queued', 'running')
                GROUP BY e.pool, t.status
                """).ToList().Select(c => new Measurement<int>(c.Count,
                    new KeyValuePair<string, object?>("pool", c.Pool), new KeyValuePair<string, object?>("status", c.Status))).ToList();
        }
        catch (Exception e)
        {
            LogReadFailed(_logger, "hpsearch.trials.open", e);
            return [];
        }
    }

    public IEnumerable<Measurement<long>> QueueDepths()
    {
        try
        {
            var monitoring = _storage.GetMonitoringApi();
            return _queues.Union(monitoring.Queues().Select(q => q.Name)).Distinct()
                .Select(q => new Measurement<long>(monitoring.EnqueuedCount(q), new KeyValuePair<string, object?>("queue", q))).ToList();
        }
        catch (Exception e)
        {
            LogReadFailed(_logger, "hpsearch.queue.depth", e);
            return [];
        }
    }

    public void Dispose() => _meter.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the gauge {Gauge}; it reports nothing this time")]
    private static partial void LogReadFailed(ILogger logger, string gauge, Exception exception);

    private sealed class OpenCount
    {
        public string Pool { get; set; } = "";
        public string Status { get; set; } = "";
        public int Count { get; set; }
    }
}
