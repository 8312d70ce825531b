using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HpSearch.Api.Tests.Infrastructure;
using Hangfire;
using HpSearch.Workers.Schedules;
using Microsoft.Extensions.DependencyInjection;

namespace HpSearch.Api.Tests.Schedules;

/// <summary>Create, read, replace and delete schedules; every bad field is a 400 at create time, not at 3 a.m.</summary>
public sealed class ScheduleApiTests(ApiOnlyFixture fixture) : IClassFixture<ApiOnlyFixture>
{
    private readonly ApiFactory _api = fixture.Api;
    private readonly HttpClient _client = fixture.Client;

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private async Task<JsonElement> Expect400Async(JsonNode body)
    {
        var response = await _client.PostAsync("/api/schedules", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
    }

    [Fact]
    public async Task Schedule_IsCreatedReadReplacedAndDeleted()
    {
        var post = await _client.PostAsync("/api/schedules", Json(ScheduleTemplates.Body("nightly", "0 2 * * *", ScheduleTemplates.Tiny())));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        var created = await post.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal($"/api/schedules/{id}", post.Headers.Location?.OriginalString);
        Assert.Equal("0 2 * * *", created.GetProperty("cron").GetString());
        Assert.Equal("0 0 2 * * ?", created.GetProperty("quartzCron").GetString());
        var next = created.GetProperty("nextFireTime").GetDateTimeOffset();
        Assert.Equal(2, next.UtcDateTime.Hour);
        Assert.InRange(next - DateTimeOffset.UtcNow, TimeSpan.Zero, TimeSpan.FromDays(1));
        Assert.Empty(created.GetProperty("runs").EnumerateArray());

        var got = await _client.GetFromJsonAsync<JsonElement>($"/api/schedules/{id}");
        Assert.Equal("nightly", got.GetProperty("name").GetString());
        Assert.Contains(await _client.GetFromJsonAsync<JsonElement[]>("/api/schedules") ?? [], s => s.GetProperty("id").GetString() == id);

        var replacement = ScheduleTemplates.Body("nightly-paris", "0/10 * * * * ?", ScheduleTemplates.Tiny());
        replacement["timeZone"] = "Europe/Paris";
        replacement["enabled"] = false;
        var put = await _client.PutAsync($"/api/schedules/{id}", Json(replacement));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var updated = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Europe/Paris", updated.GetProperty("timeZone").GetString());
        Assert.Equal("0/10 * * * * ?", updated.GetProperty("quartzCron").GetString());
        Assert.False(updated.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("nextFireTime").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/api/schedules/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/schedules/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync($"/api/schedules/{id}")).StatusCode);
        Assert.Null(_api.Services.GetRequiredService<RecurringSchedules>().Get(Guid.Parse(id)));
    }

    [Theory]
    [InlineData("skip", MisfireHandlingMode.Ignorable)]
    [InlineData("runOnce", MisfireHandlingMode.Relaxed)]
    public async Task Schedule_BecomesARecurringJob_WithItsMisfirePolicyMapped(string policy, MisfireHandlingMode expected)
    {
        var body = ScheduleTemplates.Body($"misfire-{policy}", "30 4 * * 1", ScheduleTemplates.Tiny(), misfire: policy);
        body["timeZone"] = "Europe/Paris";
        var post = await _client.PostAsync("/api/schedules", Json(body));
        var id = Guid.Parse((await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);

        var job = _api.Services.GetRequiredService<RecurringSchedules>().Get(id);
        Assert.NotNull(job);
        Assert.Equal("0 30 4 ? * 1", job.Cron);
        Assert.Equal("control", job.Job?.Queue);
        Assert.Equal("Europe/Paris", job.TimeZoneId);
        using var connection = _api.Services.GetRequiredService<JobStorage>().GetConnection();
        var stored = connection.GetAllEntriesFromHash($"recurring-job:{RecurringSchedules.JobId(id)}");
        var misfire = stored.TryGetValue("Misfire", out var m) ? Enum.Parse<MisfireHandlingMode>(m) : MisfireHandlingMode.Relaxed;
        Assert.Equal(expected, misfire);
        // Monday 04:30 in Paris.
        var next = TimeZoneInfo.ConvertTime(job.NextExecution!.Value, TimeZoneInfo.Utc, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));
        Assert.Equal((DayOfWeek.Monday, 4, 30), (next.DayOfWeek, next.Hour, next.Minute));
        await _client.DeleteAsync($"/api/schedules/{id}");
    }

    [Theory]
    [InlineData("0 2 * * *", "0 0 2 * * ?")]
    [InlineData("30 4 * * 1", "0 30 4 ? * 1")]
    [InlineData("0/10 * * * * ?", "0/10 * * * * ?")]
    [InlineData("0 0 2 ? * MON-FRI *", "0 0 2 ? * MON-FRI")]
    public void CronText_GivesTheSixFieldFormHangfireRuns(string cron, string expected) =>
        Assert.Equal(expected, CronText.ToSeconds(cron, out _));

    [Theory]
    [InlineData("cron", "every night")]
    [InlineData("cron", "0 2 * *")]
    [InlineData("cron", "61 2 * * *")]
    [InlineData("cron", "0 0 2 1 1 ? 2030")]
    public async Task CreateSchedule_Returns400NamingCron_WhenTheExpressionIsInvalid(string field, string cron)
    {
        var errors = await Expect400Async(ScheduleTemplates.Body("bad", cron, ScheduleTemplates.Tiny()));
        Assert.True(errors.TryGetProperty(field, out _), errors.ToString());
    }

    [Fact]
    public async Task CreateSchedule_Returns400NamingEveryBadField()
    {
        var template = ScheduleTemplates.Tiny();
        template["searchSpace"]!["lr"]!["low"] = -1;
        template["dataset"] = "no-such-data";
        var body = ScheduleTemplates.Body("bad", "0 2 * * *", template, overlap: "sometimes", misfire: "always");
        body["timeZone"] = "Mars/Olympus_Mons";
        body["warmStartTopK"] = -1;
        body["regressionMargin"] = -0.1;
        body["colour"] = "blue";

        var errors = await Expect400Async(body);
        foreach (var field in new[] { "timeZone", "overlapPolicy", "misfirePolicy", "warmStartTopK", "regressionMargin", "colour", "template.dataset" })
            Assert.True(errors.TryGetProperty(field, out _), $"{field} missing in {errors}");
        Assert.Contains(errors.EnumerateObject(), p => p.Name.StartsWith("template.searchSpace.lr", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateSchedule_Returns400_WhenTheTemplateIsMissingOrAWarmStartCannotContinueIt()
    {
        var noTemplate = ScheduleTemplates.Body("bad", "0 2 * * *", ScheduleTemplates.Tiny());
        noTemplate.Remove("template");
        Assert.True((await Expect400Async(noTemplate)).TryGetProperty("template", out _));

        var grid = ScheduleTemplates.Tiny();
        grid["strategy"] = new JsonObject { ["kind"] = "grid" };
        var body = ScheduleTemplates.Body("grid", "0 2 * * *", grid);
        body["warmStartTopK"] = 2;
        Assert.True((await Expect400Async(body)).TryGetProperty("warmStartTopK", out _));
    }

    [Fact]
    public async Task Writes_NeedTheApiKey()
    {
        using var anonymous = _api.CreateClient();
        var response = await anonymous.PostAsync("/api/schedules", Json(ScheduleTemplates.Body("x", "0 2 * * *", ScheduleTemplates.Tiny())));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
