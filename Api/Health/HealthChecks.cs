using HpSearch.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Hangfire;

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

/// <summary>Ready when this node's Hangfire storage answers and at least one of its servers has a recent heartbeat.</summary>
public sealed class SchedulerHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var servers = storage.GetMonitoringApi().Servers();
            var live = servers.Count(s => s.Heartbeat is { } h && DateTime.UtcNow - h < TimeSpan.FromMinutes(1));
            return Task.FromResult(live > 0
                ? HealthCheckResult.Healthy($"{live} Hangfire servers are alive.")
                : HealthCheckResult.Unhealthy("No Hangfire server has a recent heartbeat."));
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The Hangfire storage does not answer.", e));
        }
    }
}
