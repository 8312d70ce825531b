using Cronos;
using HpSearch.Workers.Jobs;

namespace HpSearch.Workers.Tests.Jobs;

/// <summary>The reconciler's cron: valid for every interval the options accept, evenly spaced, never sparser than asked.</summary>
public sealed class JobEngineStartupTests
{
    [Theory]
    [InlineData(30, "*/30 * * * * *")]
    [InlineData(45, "*/30 * * * * *")]
    [InlineData(60, "0 */1 * * * *")]
    [InlineData(420, "0 */6 * * * *")]
    [InlineData(3599, "0 */30 * * * *")]
    [InlineData(3600, "0 0 * * * *")]
    public void ReconcileCron_IsAStepThatDividesTheMinuteOrHour(int seconds, string expected) =>
        Assert.Equal(expected, JobEngineStartup.ReconcileCron(seconds));

    [Fact]
    public void ReconcileCron_FiresEvenly_AtMostTheIntervalApart_ForEveryAcceptedInterval()
    {
        var from = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var seconds = 1; seconds <= 3600; seconds++)
        {
            var cron = CronExpression.Parse(JobEngineStartup.ReconcileCron(seconds), CronFormat.IncludeSeconds);
            var times = cron.GetOccurrences(from, from.AddHours(2)).Take(200).ToList();
            var gaps = times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds).Distinct().ToList();
            Assert.Single(gaps);
            Assert.InRange(gaps[0], 1, seconds);
        }
    }
}
