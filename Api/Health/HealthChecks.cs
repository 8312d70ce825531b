using HpSearch.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace HpSearch.Api.Health;

/// <summary>Ready when PostgreSQL answers.</summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<HpSearchDb> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
            return HealthCheckResult.Healthy("PostgreSQL answers.");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer.", e);
        }
    }
}

/// <summary>Ready when the Quartz scheduler runs.</summary>
public sealed class SchedulerHealthCheck(ISchedulerFactory schedulers) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        return scheduler.Status == SchedulerStatus.Running
            ? HealthCheckResult.Healthy("The scheduler runs.")
            : HealthCheckResult.Unhealthy("The scheduler is not running.");
    }
}
