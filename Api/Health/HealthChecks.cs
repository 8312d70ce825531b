using Microsoft.Extensions.Diagnostics.HealthChecks;
using Hangfire;

namespace HpSearch.Api.Health;

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
