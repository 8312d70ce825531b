using HpSearch.Persistence;
using HpSearch.Persistence.Model;
using HpSearch.Persistence.Experiments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HpSearch.Workers.Nodes;

/// <summary>Writes this node's pools, slots and heartbeat every two seconds; removes the row on a clean stop.</summary>
public sealed partial class HeartbeatService(
    IDbContextFactory<HpSearchDb> dbFactory,
    SlotRegistry slots,
    WorkerOptions options,
    TimeProvider clock,
    ILogger<HeartbeatService> logger) : BackgroundService
{
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;

    /// <summary>The last heartbeat that reached the database; readiness reports a node that cannot write one.</summary>
    public DateTimeOffset? LastWritten { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2), clock);
        do
        {
            try
            {
                await BeatAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Not swallowed: logged every time, and readiness sees LastWritten go stale.
                LogBeatFailed(logger, e);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.Workers.Where(w => w.Node == slots.NodeName).ExecuteDeleteAsync(cancellationToken);
        }
        catch (ObjectDisposedException)
        {
            // The host tore down the services first (a test host's disposal): the row simply ages out after a minute.
        }
        catch (Exception e)
        {
            LogBeatFailed(logger, e);
        }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var row = await db.Workers.SingleOrDefaultAsync(w => w.Node == slots.NodeName, cancellationToken);
        if (row is null)
        {
            row = new WorkerNode { Node = slots.NodeName, PoolsJson = "[]", SlotsJson = "[]", StartedAt = _startedAt };
            db.Workers.Add(row);
        }
        row.PoolsJson = WireJson.Serialize(slots.Pools.Select(p => new { name = p.Name, slots = p.Slots }));
        row.SlotsJson = WireJson.Serialize(slots.Snapshot());
        row.LastHeartbeat = now;
        await db.SaveChangesAsync(cancellationToken);
        // Nodes silent for a minute are gone (Hangfire re-ran their trials elsewhere); keep the table short.
        await db.Workers.Where(w => w.LastHeartbeat < now.AddMinutes(-1)).ExecuteDeleteAsync(cancellationToken);
        LastWritten = now;
        if (options.HeartbeatFile is { } file)
            await File.WriteAllTextAsync(file, now.ToString("O"), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker heartbeat failed")]
    private static partial void LogBeatFailed(ILogger logger, Exception exception);
}
