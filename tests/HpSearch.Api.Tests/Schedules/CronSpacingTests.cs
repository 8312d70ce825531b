using HpSearch.Api.Schedules;

namespace HpSearch.Api.Tests.Schedules;

/// <summary>How often a cron can fire, read from its seconds and minutes fields.</summary>
public sealed class CronSpacingTests
{
    [Theory]
    [InlineData("0 2 * * *", 3600)]
    [InlineData("*/5 * * * *", 300)]
    [InlineData("* * * * *", 60)]
    [InlineData("0,30 * * * *", 1800)]
    [InlineData("10-12 * * * *", 60)]
    [InlineData("0/2 * * * * ?", 2)]
    [InlineData("* * * * * ?", 1)]
    [InlineData("0 0 2 * * ?", 3600)]
    [InlineData("0 15 10 ? * MON-FRI", 3600)]
    [InlineData("@daily", 3600)]
    public void MinSeconds_IsTheClosestTwoFirings(string cron, int seconds) => Assert.Equal(seconds, CronSpacing.MinSeconds(cron));
}
