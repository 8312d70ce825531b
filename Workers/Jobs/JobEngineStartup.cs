using Hangfire;
using HpSearch.Persistence;
using HpSearch.Workers.Schedules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HpSearch.Workers.Jobs;

/// <summary>At start-up (after the migrations): registers the reconciliation job, and a recurring job for every schedule
/// row that lacks one, so schedules stored before the upgrade from Quartz (or in a lost Hangfire schema) keep firing.
/// In the background, retried until it succeeds: registering takes Hangfire's distributed locks, and a lock held by a
/// paused or killed node (until it expires, a minute) must not keep this node's job servers, which start after this
/// service, from fetching jobs — a worker that heartbeats but never trains (seen in the SIGSTOP fault test).</summary>
public sealed partial class JobEngineStartup(
    IDbContextFactory<HpSearchDb> dbFactory,
    IRecurringJobManager recurring,
    RecurringSchedules schedules,
    JobOptions options,
    ILogger<JobEngineStartup> logger) : BackgroundService
{
    /// <summary>Wait between two attempts at registering.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>The reconciler's cron for an interval of 1 to 3600 s: a step that divides the minute (or the hour), rounded down
    /// to one that does, so the firings are evenly spaced (a step of 45 s would fire at :00 and :45, 15 s apart) and never
    /// further apart than asked; a whole hour is minute 0 of every hour.</summary>
    public static string ReconcileCron(int seconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seconds, 1);
        static int Divisor(int n) => new[] { 30, 20, 15, 12, 10, 6, 5, 4, 3, 2, 1 }.First(d => d <= n);
        if (seconds < 60) return $"*/{Divisor(seconds)} * * * * *";
        var minutes = seconds / 60;
        return minutes >= 60 ? "0 0 * * * *" : $"0 */{Divisor(minutes)} * * * *";
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // the host goes on starting the job servers now
        while (true)
        {
            try
            {
                await RegisterAsync(stoppingToken);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogRegistrationRetry(logger, e, RetryDelay.TotalSeconds);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }

    /// <summary>Registers the reconciler and every schedule's recurring job (each AddOrUpdate is idempotent).</summary>
    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        var cron = ReconcileCron(options.ReconcileIntervalSeconds);
        recurring.AddOrUpdate<Reconciler>(Reconciler.RecurringJobId, JobQueue.ControlQueue, r => r.RunAsync(CancellationToken.None), cron,
            new RecurringJobOptions { MisfireHandling = MisfireHandlingMode.Ignorable });

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var schedule in await db.Schedules.AsNoTracking().ToListAsync(cancellationToken))
        {
            try
            {
                if (schedules.EnsureRegistered(schedule)) LogRegistered(logger, schedule.Name, schedule.QuartzCron);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                // A stored expression Hangfire cannot run (a Quartz-only feature): the schedule stays, unregistered, and says so.
                LogUnusable(logger, e, schedule.Name, schedule.QuartzCron);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering the recurring jobs failed; retrying in {Seconds} s")]
    private static partial void LogRegistrationRetry(ILogger logger, Exception exception, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Name} registered as a recurring job ({Cron})")]
    private static partial void LogRegistered(ILogger logger, string name, string cron);

    [LoggerMessage(Level = LogLevel.Error, Message = "Schedule {Name} cannot be registered: its cron {Cron} is not supported")]
    private static partial void LogUnusable(ILogger logger, Exception exception, string name, string cron);
}
