using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Api.Tests.Schedules;

namespace HpSearch.Api.Tests.Hostile;

/// <summary>A schedule cannot fire more often than the operator's minimum interval (each firing is a whole sweep).</summary>
public sealed class ScheduleIntervalTests
{
    [Fact]
    public async Task CreateSchedule_Returns400OnCron_WhenItFiresMoreOftenThanTheMinimum()
    {
        await using var api = await ApiFactory.StartAsync(workers: false, settings: new Dictionary<string, string> { ["Schedules:MinIntervalSeconds"] = "300" });
        using var client = api.CreateAuthorizedClient();
        var everySecond = await client.PostAsJsonAsync("/api/schedules", ScheduleTemplates.Body("flood", "* * * * * ?", ScheduleTemplates.Tiny()));
        Assert.Equal(HttpStatusCode.BadRequest, everySecond.StatusCode);
        Assert.True((await everySecond.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("cron", out _));
        var nightly = await client.PostAsJsonAsync("/api/schedules", ScheduleTemplates.Body("nightly", "0 2 * * *", ScheduleTemplates.Tiny()));
        Assert.Equal(HttpStatusCode.Created, nightly.StatusCode);
    }
}
