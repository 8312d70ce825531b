using Hangfire;
using Hangfire.Common;
using HpSearch.Workers.Jobs;

namespace HpSearch.Workers.Tests.Jobs;

public sealed class RetryFiltersTests
{
    private static List<AutomaticRetryAttribute> RetriesOf(Job job, int configured) =>
        new RetryFilters(new JobOptions { TransientRetries = configured }).GetFilters(job)
            .Select(f => f.Instance).OfType<AutomaticRetryAttribute>().ToList();

    [Fact]
    public void GetFilters_ReplacesHangfiresDefaultRetry_WithTheConfiguredCount()
    {
        var retry = Assert.Single(RetriesOf(Job.FromExpression<TrialJob>(j => j.RunAsync(Guid.Empty, CancellationToken.None)), 3));
        Assert.Equal(3, retry.Attempts);
        Assert.Equal(AttemptsExceededAction.Fail, retry.OnAttemptsExceeded);
        Assert.Equal([1, 2, 4], retry.DelaysInSeconds);
    }

    [Fact]
    public void GetFilters_KeepsAJobTypesOwnRule()
    {
        var retry = Assert.Single(RetriesOf(Job.FromExpression<Reconciler>(r => r.RunAsync(CancellationToken.None)), 3));
        Assert.Equal(0, retry.Attempts);
    }

    [Fact]
    public void Delays_DoubleFromOneSecond_UpToAMinute() =>
        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60], RetryFilters.Delays(8));

    [Theory]
    [InlineData(-1)]
    [InlineData(21)]
    public void Problems_NameTransientRetries_WhenOutOfRange(int retries) =>
        Assert.Contains("Jobs:TransientRetries must be 0 to 20.", new JobOptions { TransientRetries = retries }.Problems());
}
