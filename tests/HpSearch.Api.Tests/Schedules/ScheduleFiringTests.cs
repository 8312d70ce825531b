using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Testing;
using HpSearch.Workers.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace HpSearch.Api.Tests.Schedules;

/// <summary>Schedules fire as Hangfire recurring jobs on a cron of a few seconds, create linked experiments,
/// and honour the overlap and misfire policies.</summary>
public sealed class ScheduleFiringTests
{
    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task<string> CreateAsync(HttpClient client, JsonObject body)
    {
        var post = await client.PostAsync("/api/schedules", Json(body));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        return (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task<List<JsonElement>> RunsAsync(HttpClient client, string id) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/schedules/{id}")).GetProperty("runs").EnumerateArray().ToList();

    [Fact]
    public async Task Schedule_FiresOnItsCron_AndItsRunsShowAsASeries()
    {
        await using var api = await ApiFactory.StartAsync(slots: 1);
        var client = api.CreateAuthorizedClient();
        var id = await CreateAsync(client, ScheduleTemplates.Body("every-2s", "0/2 * * * * ?", ScheduleTemplates.Tiny()));

        await Polling.UntilAsync(async () =>
        {
            var runs = await RunsAsync(client, id);
            return runs.Count(r => r.GetProperty("status").GetString() == "completed") >= 3 ? default(JsonElement) : null;
        }, TimeSpan.FromSeconds(90), "three completed scheduled runs");
        var runs = await RunsAsync(client, id);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/schedules/{id}")).StatusCode);

        var times = runs.Select(r => r.GetProperty("createdAt").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order(), times); // oldest first: a night-over-night series
        foreach (var run in runs.Where(r => r.GetProperty("status").GetString() == "completed"))
        {
            Assert.StartsWith("every-2s 20", run.GetProperty("name").GetString());
            Assert.Equal(JsonValueKind.Number, run.GetProperty("bestValue").ValueKind);
            var experiment = await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{run.GetProperty("id").GetString()}");
            Assert.Equal(id, experiment.GetProperty("scheduleId").GetString());
            Assert.Equal(1, experiment.GetProperty("trialCounts").GetProperty("completed").GetInt32());
        }
        // From the second completed run on, each is compared with the one before it.
        Assert.Contains(runs, r => r.GetProperty("regression").ValueKind is JsonValueKind.True or JsonValueKind.False);
    }

    [Fact]
    public async Task OverlapSkip_CreatesNoRun_WhileThePreviousRunIsStillRunning()
    {
        var dir = Directory.CreateTempSubdirectory("hpsearch-overlap-").FullName;
        await using var api = await ApiFactory.StartAsync(slots: 1, settings: FakeCommandTrainer.Settings(dir, sleepSeconds: 0.5));
        var client = api.CreateAuthorizedClient();
        var id = await CreateAsync(client, ScheduleTemplates.Body("long", "0/2 * * * * ?", ScheduleTemplates.Long(), overlap: "skip"));

        var first = await Polling.UntilAsync(async () =>
        {
            var runs = await RunsAsync(client, id);
            return runs.Count > 0 && runs[0].GetProperty("status").GetString() == "running" ? runs[0] : null;
        }, TimeSpan.FromSeconds(30), "the first run to start");
        await Polling.UntilAsync(async () =>
        {
            var s = await client.GetFromJsonAsync<JsonElement>($"/api/schedules/{id}");
            return s.GetProperty("lastFireOutcome").GetString()?.StartsWith("skipped", StringComparison.Ordinal) == true ? s : null;
        }, TimeSpan.FromSeconds(20), "a skipped firing");
        await Task.Delay(3000); // more firings come due while the first run goes on

        var runs = await RunsAsync(client, id);
        Assert.Single(runs);
        Assert.Equal("running", (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{first.GetProperty("id").GetString()}")).GetProperty("status").GetString());

        await client.DeleteAsync($"/api/schedules/{id}");
        await client.PostAsync($"/api/experiments/{first.GetProperty("id").GetString()}/cancel", null);
        await Polling.UntilFinishedAsync(client, first.GetProperty("id").GetString()!, TimeSpan.FromSeconds(30));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task OverlapQueue_CreatesRuns_WhileThePreviousRunIsStillRunning()
    {
        var dir = Directory.CreateTempSubdirectory("hpsearch-queue-").FullName;
        await using var api = await ApiFactory.StartAsync(slots: 1, settings: FakeCommandTrainer.Settings(dir, sleepSeconds: 0.5));
        var client = api.CreateAuthorizedClient();
        var id = await CreateAsync(client, ScheduleTemplates.Body("queued", "0/2 * * * * ?", ScheduleTemplates.Long(), overlap: "queue"));

        var runs = await Polling.UntilAsync(async () =>
        {
            var r = await RunsAsync(client, id);
            return r.Count >= 2 ? JsonSerializer.SerializeToElement(r) : null;
        }, TimeSpan.FromSeconds(30), "a second run while the first runs");
        await client.DeleteAsync($"/api/schedules/{id}");

        Assert.Equal("running", runs[0].GetProperty("status").GetString());
        foreach (var r in runs.EnumerateArray())
            await client.PostAsync($"/api/experiments/{r.GetProperty("id").GetString()}/cancel", null);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task MisfirePolicy_RunOnceCatchesUpAfterDowntime_SkipWaitsForTheNextFiring()
    {
        var database = await TestDatabase.CreateAsync("api");
        // A firing missed by more than two schedule polls (1 s each) counts as missed.
        var settings = new Dictionary<string, string>();
        string runOnce, skip;
        DateTimeOffset due;
        await using (var before = new ApiFactory(database, 1, true, settings, ownsDatabase: false))
        {
            var c = before.CreateAuthorizedClient();
            // Once a day, a few seconds from now: the service is down then, and the next firing is tomorrow.
            due = DateTimeOffset.UtcNow.AddSeconds(8);
            var cron = $"{due.Second} {due.Minute} {due.Hour} * * ?";
            runOnce = await CreateAsync(c, ScheduleTemplates.Body("catch-up", cron, ScheduleTemplates.Tiny(), misfire: "runOnce"));
            skip = await CreateAsync(c, ScheduleTemplates.Body("skip-missed", cron, ScheduleTemplates.Tiny(), misfire: "skip"));
        }
        var wait = due.AddSeconds(5) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);

        var after = new ApiFactory(database, 1, true, settings, ownsDatabase: false);
        try
        {
            var client = after.CreateAuthorizedClient();
            var run = await Polling.UntilAsync(async () =>
            {
                var r = await RunsAsync(client, runOnce);
                return r.Count > 0 ? r[0] : null;
            }, TimeSpan.FromSeconds(30), "the catch-up run");
            await Task.Delay(3000);
            Assert.Single(await RunsAsync(client, runOnce));
            Assert.Empty(await RunsAsync(client, skip));
            Assert.Equal(JsonValueKind.Null, (await client.GetFromJsonAsync<JsonElement>($"/api/schedules/{skip}")).GetProperty("lastFiredAt").ValueKind);
            await Polling.UntilFinishedAsync(client, run.GetProperty("id").GetString()!, TimeSpan.FromSeconds(60));
        }
        finally
        {
            await after.DisposeAsync();
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task WarmStart_ReEvaluatesThePreviousRunsBestConfigurationsFirst_AndComparesTheBests()
    {
        await using var api = await ApiFactory.StartAsync(slots: 1);
        var client = api.CreateAuthorizedClient();
        var body = ScheduleTemplates.Body("warm", "0 2 * * *", ScheduleTemplates.Tiny(maxTrials: 4));
        body["warmStartTopK"] = 2;
        body["regressionMargin"] = 0.05;
        var id = Guid.Parse(await CreateAsync(client, body));
        var job = api.Services.GetRequiredService<ScheduleJob>();

        var first = (await job.FireAsync(id, DateTimeOffset.UtcNow, CancellationToken.None))!.Value;
        var firstRun = await Polling.UntilFinishedAsync(client, first.ToString(), TimeSpan.FromSeconds(90));
        Assert.Equal("completed", firstRun.GetProperty("status").GetString());
        Assert.Equal(0, firstRun.GetProperty("warmStartTrials").GetInt32());

        var second = (await job.FireAsync(id, DateTimeOffset.UtcNow.AddSeconds(1), CancellationToken.None))!.Value;
        var secondRun = await Polling.UntilFinishedAsync(client, second.ToString(), TimeSpan.FromSeconds(90));
        Assert.Equal(2, secondRun.GetProperty("warmStartTrials").GetInt32());

        var firstTrials = (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{first}/trials?sort=value")).GetProperty("items").EnumerateArray().ToList();
        var secondTrials = (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{second}/trials")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(4, secondTrials.Count); // the warm-start trials count towards maxTrials
        for (var i = 0; i < 2; i++)
            Assert.Equal(firstTrials[i].GetProperty("params").GetProperty("lr").GetDouble(), secondTrials[i].GetProperty("params").GetProperty("lr").GetDouble());

        var prev = firstRun.GetProperty("bestValue").GetDouble();
        var best = secondRun.GetProperty("bestValue").GetDouble();
        Assert.Equal(prev, secondRun.GetProperty("previousBestValue").GetDouble());
        Assert.Equal(best < prev - 0.05, secondRun.GetProperty("regression").GetBoolean());
    }
}
