using System.Text.Json;
using Hangfire;
using Hangfire.States;
using HpSearch.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HpSearch.Api.Tests.Jobs;

/// <summary>Jobs:TransientRetries reaches the node's Hangfire servers: a job that keeps failing is retried that many times,
/// then Failed (Hangfire's default would retry it 10 times over hours).</summary>
public sealed class TransientRetryTests
{
    [Fact]
    public async Task AJobThatKeepsFailing_IsRetriedTheConfiguredTimes_ThenFailed()
    {
        await using var api = await ApiFactory.StartAsync(slots: 1, settings: new Dictionary<string, string> { ["Jobs:TransientRetries"] = "2" });
        var jobs = api.Services.GetRequiredService<IBackgroundJobClient>();
        // The queue stored with the job (as JobQueue does): its retries go back to the control queue.
        var id = jobs.Enqueue(Workers.Jobs.JobQueue.ControlQueue, () => FailingJob.Run());

        var storage = api.Services.GetRequiredService<JobStorage>();
        await Polling.UntilAsync(() =>
        {
            using var connection = storage.GetConnection();
            return Task.FromResult<JsonElement?>(connection.GetJobData(id)?.State == FailedState.StateName ? default(JsonElement) : null);
        }, TimeSpan.FromSeconds(60), "the job to end Failed (Hangfire's default would have scheduled a 3rd retry)");
        using var c = storage.GetConnection();
        Assert.Equal("2", c.GetJobParameter(id, "RetryCount"));
    }
}

/// <summary>Stands for a job whose database stays unreachable.</summary>
public static class FailingJob
{
    public static void Run() => throw new InvalidOperationException("the database is still down");
}
