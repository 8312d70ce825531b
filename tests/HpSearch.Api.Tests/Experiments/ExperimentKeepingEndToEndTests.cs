using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HpSearch.Api.Tests.Experiments;

/// <summary>An ended experiment continued by its jobs, on a real PostgreSQL and worker pool: resumed after a cancel, its failed
/// trials retried, its budget extended. The trainer is a command trainer whose runs fail while a flag file exists.</summary>
public sealed class ExperimentKeepingEndToEndTests : IAsyncLifetime
{
    private const string Script = """
        import json, math, os, sys, time
        params = json.loads(os.environ["HPSEARCH_PARAMS"])
        epochs = int(os.environ["HPSEARCH_MAX_EPOCHS"])
        if os.path.exists(params["failFlag"]):
            print("RuntimeError: the flag file says fail", file=sys.stderr, flush=True)
            sys.exit(3)
        quality = max(0.05, 1.0 - abs(math.log10(params["lr"]) + 2.0) / 4.0)
        for epoch in range(1, epochs + 1):
            time.sleep(float(params.get("sleep", 0)))
            acc = quality * (1.0 - 0.5 / epoch)
            print(json.dumps({"epoch": epoch, "trainLoss": 2.3 * (1 - acc), "valLoss": 2.5 * (1 - acc), "valAccuracy": acc}), flush=True)
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("hpsearch-e2e-keep-").FullName;
    private ApiFactory _api = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var script = Path.Combine(_dir, "flaky.py");
        await File.WriteAllTextAsync(script, Script);
        _api = await ApiFactory.StartAsync(slots: 1, settings: new Dictionary<string, string>
        {
            ["Trainers:Commands:0:Name"] = "flaky",
            ["Trainers:Commands:0:Executable"] = "/usr/bin/python3",
            ["Trainers:Commands:0:Arguments:0"] = script,
            ["Trainers:Commands:0:WorkingDirectory"] = _dir,
            ["Trainers:Commands:0:TimeoutSeconds"] = "60",
        });
        _client = _api.CreateAuthorizedClient();
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static string Spec(string flag, int maxTrials, double sleep = 0, string strategy = """{ "kind": "random", "seed": 11 }""") => $$"""
        {
          "name": "keep-{{flag}}",
          "trainer": "flaky",
          "dataset": "synthetic-blobs",
          "params": { "failFlag": "{{flag}}", "sleep": {{sleep.ToString(System.Globalization.CultureInfo.InvariantCulture)}} },
          "searchSpace": { "lr": { "type": "logUniform", "low": 1e-4, "high": 1e-1 } },
          "strategy": {{strategy}},
          "budget": { "maxTrials": {{maxTrials}}, "parallelism": 1, "maxEpochs": 3, "maxFailedTrials": 5 }
        }
        """;

    private async Task<List<JsonElement>> TrialsAsync(string id) =>
        (await _client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials")).GetProperty("items").EnumerateArray().ToList();

    private async Task<JsonElement> PostAsync(string path, HttpStatusCode expected, string? body = null)
    {
        var response = await _client.PostAsync(path, body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path}: {response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<Dictionary<int, int>> SeedsAsync(string id)
    {
        using var scope = _api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HpSearchDb>();
        return await db.Trials.Where(t => t.ExperimentId == Guid.Parse(id)).ToDictionaryAsync(t => t.Number, t => t.Seed);
    }

    [Fact]
    public async Task Retry_RunsTheFailedTrialsAgain_WithTheirParametersAndSeeds_AsNewAttempts()
    {
        var flag = Path.Combine(_dir, "retry.fail");
        await File.WriteAllTextAsync(flag, "");
        var id = await Polling.SubmitAsync(_client, Spec(flag, maxTrials: 3));
        var failed = await Polling.UntilFinishedAsync(_client, id, TimeSpan.FromMinutes(2));
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        var before = await TrialsAsync(id);
        Assert.All(before, t => Assert.Equal("failed", t.GetProperty("status").GetString()));
        Assert.All(before, t => Assert.Contains("flag file", t.GetProperty("error").GetString()));
        var seeds = await SeedsAsync(id);

        File.Delete(flag);
        var reopened = await PostAsync($"/api/experiments/{id}/retry", HttpStatusCode.Accepted);
        Assert.Equal("running", reopened.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, reopened.GetProperty("failureReason").ValueKind);
        var done = await Polling.UntilFinishedAsync(_client, id, TimeSpan.FromMinutes(2));

        Assert.Equal("completed", done.GetProperty("status").GetString());
        var after = await TrialsAsync(id);
        Assert.Equal(before.Select(t => t.GetProperty("number").GetInt32()), after.Select(t => t.GetProperty("number").GetInt32()));
        for (var i = 0; i < after.Count; i++)
        {
            Assert.Equal("completed", after[i].GetProperty("status").GetString());
            Assert.Equal(before[i].GetProperty("id").GetString(), after[i].GetProperty("id").GetString());
            Assert.Equal(before[i].GetProperty("params").GetRawText(), after[i].GetProperty("params").GetRawText());
            Assert.Equal(before[i].GetProperty("attempt").GetInt32() + 1, after[i].GetProperty("attempt").GetInt32());
            Assert.Equal(JsonValueKind.Null, after[i].GetProperty("error").ValueKind);
            Assert.Equal(3, after[i].GetProperty("epochCount").GetInt32());
        }
        Assert.Equal(seeds, await SeedsAsync(id));

        // Nothing failed is left: a second retry, and a resume of a completed experiment, are conflicts.
        var conflict = await PostAsync($"/api/experiments/{id}/retry", HttpStatusCode.Conflict);
        Assert.Contains("no failed trials", conflict.GetProperty("detail").GetString());
        await PostAsync($"/api/experiments/{id}/resume", HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Resume_RunsTheCancelledTrialsAndTheRestOfTheBudget_KeepingFinishedTrials()
    {
        var id = await Polling.SubmitAsync(_client, Spec(Path.Combine(_dir, "never"), maxTrials: 4, sleep: 0.5));
        await Polling.UntilAsync(async () =>
        {
            var e = await _client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}");
            return e.GetProperty("trialCounts").GetProperty("completed").GetInt32() >= 1 ? e : null;
        }, TimeSpan.FromMinutes(2), "a first completed trial");
        await PostAsync($"/api/experiments/{id}/cancel", HttpStatusCode.Accepted);
        Assert.Equal("cancelled", (await Polling.UntilFinishedAsync(_client, id, TimeSpan.FromMinutes(1))).GetProperty("status").GetString());
        var before = await TrialsAsync(id);
        var kept = before.Where(t => t.GetProperty("status").GetString() == "completed").ToList();
        Assert.NotEmpty(kept);
        Assert.True(before.Count < 4, "the cancel came after every trial was created");

        await PostAsync($"/api/experiments/{id}/resume", HttpStatusCode.Accepted);
        var done = await Polling.UntilFinishedAsync(_client, id, TimeSpan.FromMinutes(2));

        Assert.Equal("completed", done.GetProperty("status").GetString());
        var after = await TrialsAsync(id);
        Assert.Equal([0, 1, 2, 3], after.Select(t => t.GetProperty("number").GetInt32()));
        Assert.All(after, t => Assert.Equal("completed", t.GetProperty("status").GetString()));
        foreach (var k in kept)
        {
            // Kept as they were: not run again, not doubled.
            var now = after.Single(t => t.GetProperty("id").GetString() == k.GetProperty("id").GetString());
            Assert.Equal(k.GetProperty("attempt").GetInt32(), now.GetProperty("attempt").GetInt32());
            Assert.Equal(k.GetProperty("finishedAt").GetDateTimeOffset(), now.GetProperty("finishedAt").GetDateTimeOffset());
        }
        Assert.Equal(4, done.GetProperty("trialCounts").GetProperty("completed").GetInt32());
    }

    [Fact]
    public async Task Extend_RunsTheTrialsALargerBudgetWouldHaveDrawn_WithoutRepeatingEarlierOnes()
    {
        var never = Path.Combine(_dir, "never");
        var id = await Polling.SubmitAsync(_client, Spec(never, maxTrials: 2));
        Assert.Equal("completed", (await Polling.UntilFinishedAsync(_client, id, TimeSpan.FromMinutes(2))).GetProperty("status").GetString());
        var first = await TrialsAsync(id);

        var bad = await PostAsync($"/api/experiments/{id}/extend", HttpStatusCode.BadRequest, """{ "maxTrials": 2 }""");
        Assert.True(bad.GetProperty("errors").TryGetProperty("maxTrials", out _));
        bad = await PostAsync($"/api/experiments/{id}/extend", HttpStatusCode.BadRequest, """{ "trials": 2 }""");
        Assert.True(bad.GetProperty("errors").TryGetProperty("trials", out _));
        var extended = await PostAsync($"/api/experiments/{id}/extend", HttpStatusCode.Accepted, """{ "maxTrials": 4 }""");
        Assert.Equal(4, extended.GetProperty("maxTrials").GetInt32());
        Assert.Equal("completed", (await Polling.UntilFinishedAsync(_client, id, TimeSpan.FromMinutes(2))).GetProperty("status").GetString());
        var all = await TrialsAsync(id);

        // The same seed with maxTrials 4 from the start draws the same four points.
        var reference = await Polling.SubmitAsync(_client, Spec(never, maxTrials: 4));
        await Polling.UntilFinishedAsync(_client, reference, TimeSpan.FromMinutes(2));
        var expected = await TrialsAsync(reference);
        Assert.Equal(expected.Select(t => t.GetProperty("params").GetRawText()), all.Select(t => t.GetProperty("params").GetRawText()));
        Assert.Equal(first.Select(t => t.GetProperty("id").GetString()), all.Take(2).Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(4, all.Select(t => t.GetProperty("params").GetProperty("lr").GetDouble()).Distinct().Count());
        Assert.Equal(await SeedsAsync(reference), await SeedsAsync(id));

        var grid = await Polling.SubmitAsync(_client, Spec(never, maxTrials: 2, strategy: """{ "kind": "grid", "gridPoints": 2 }"""));
        await Polling.UntilFinishedAsync(_client, grid, TimeSpan.FromMinutes(2));
        var conflict = await PostAsync($"/api/experiments/{grid}/extend", HttpStatusCode.Conflict, """{ "maxTrials": 3 }""");
        Assert.Contains("grid", conflict.GetProperty("detail").GetString());
        await PostAsync($"/api/experiments/{Guid.NewGuid()}/extend", HttpStatusCode.NotFound, """{ "maxTrials": 3 }""");
    }
}
