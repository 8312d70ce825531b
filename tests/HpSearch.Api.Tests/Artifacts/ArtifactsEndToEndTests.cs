using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Persistence;
using HpSearch.Persistence.Artifacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HpSearch.Api.Tests.Artifacts;

/// <summary>What a completed experiment keeps: the checkpoints of its best trials (built-in trainer) and the artifact folder of
/// a command trainer, listed and downloaded through the API, until their retention ends; a cancelled one keeps nothing.</summary>
public sealed class ArtifactsEndToEndTests
{
    private static string BuiltinSpec(string artifacts, int trials = 4) => $$"""
        { "name": "keep", "dataset": "synthetic-blobs",
          "params": { "hidden": [16], "epochs": 3, "batchSize": 16 },
          "searchSpace": { "lr": { "type": "logUniform", "low": 0.001, "high": 0.3 } },
          "strategy": { "kind": "random", "seed": 5 },
          "budget": { "maxTrials": {{trials}}, "parallelism": 2 }
          {{artifacts}} }
        """;

    [Fact]
    public async Task CompletedExperiment_KeepsTheCheckpointsOfItsTopTrials_Downloadable_AndStillEvaluatesTheBest()
    {
        await using var api = await ApiFactory.StartAsync(slots: 2);
        var client = api.CreateAuthorizedClient();
        var id = await Polling.SubmitAsync(client, BuiltinSpec(""", "artifacts": { "keepTop": 2, "retentionDays": 7 }"""));
        var experiment = await Polling.UntilFinishedAsync(client, id, TimeSpan.FromMinutes(3));
        Assert.Equal("completed", experiment.GetProperty("status").GetString());

        var trials = (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials?pageSize=100")).GetProperty("items")
            .EnumerateArray().Where(t => t.GetProperty("status").GetString() == "completed")
            .OrderByDescending(t => t.GetProperty("bestValue").GetDouble()).ThenBy(t => t.GetProperty("number").GetInt32()).ToList();
        var top2 = trials.Take(2).Select(t => t.GetProperty("number").GetInt32()).ToList();

        var artifacts = (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/artifacts")).EnumerateArray().ToList();
        Assert.Equal(top2.Order(), artifacts.Select(a => a.GetProperty("trialNumber").GetInt32()).Order());
        var finishedAt = experiment.GetProperty("finishedAt").GetDateTimeOffset();
        foreach (var a in artifacts)
        {
            Assert.Equal("checkpoint", a.GetProperty("kind").GetString());
            Assert.Matches("^checkpoint-epoch[1-3]-builtin\\.bin$", a.GetProperty("name").GetString());
            Assert.InRange(a.GetProperty("expiresAt").GetDateTimeOffset(), finishedAt.AddDays(7).AddMinutes(-2), finishedAt.AddDays(7).AddMinutes(2));
            var download = await client.GetAsync(a.GetProperty("url").GetString());
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("application/octet-stream", download.Content.Headers.ContentType?.MediaType);
            var bytes = await download.Content.ReadAsByteArrayAsync();
            Assert.Equal(a.GetProperty("sizeBytes").GetInt64(), bytes.Length);
            Assert.Equal(a.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Assert.True(bytes.Length > 16 * 4, "a checkpoint holds the network's weights");
        }

        // The chosen trial was still evaluated on the test split, and no transient checkpoint is left behind.
        var best = await client.GetFromJsonAsync<JsonElement>($"/api/trials/{experiment.GetProperty("bestTrialId").GetString()}");
        Assert.Equal(JsonValueKind.Number, best.GetProperty("testAccuracy").ValueKind);
        Assert.Equal(top2[0], best.GetProperty("number").GetInt32());
        await using var db = api.Services.GetRequiredService<IDbContextFactory<HpSearchDb>>().CreateDbContext();
        Assert.False(await db.Checkpoints.AnyAsync(c => db.Trials.Any(t => t.Id == c.TrialId && t.ExperimentId == Guid.Parse(id))));

        // Only the listed trial's own files come back for a trial; a name it does not keep is a 404 naming it.
        var one = artifacts[0];
        var ofTrial = await client.GetFromJsonAsync<JsonElement>($"/api/trials/{one.GetProperty("trialId").GetString()}/artifacts");
        Assert.Single(ofTrial.EnumerateArray());
        var missing = await client.GetAsync($"/api/trials/{one.GetProperty("trialId").GetString()}/artifacts/nothing.bin");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("nothing.bin", await missing.Content.ReadAsStringAsync());

        // Retention: nothing expires before its day; everything after it.
        Assert.Equal(0, await ArtifactStore.PurgeExpiredAsync(db, finishedAt.AddDays(6), CancellationToken.None));
        Assert.Equal(2, await ArtifactStore.PurgeExpiredAsync(db, finishedAt.AddDays(8), CancellationToken.None));
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/artifacts")).EnumerateArray());
    }

    [Fact]
    public async Task KeepTopZero_KeepsNothing_AndACancelledExperimentKeepsNothing()
    {
        await using var api = await ApiFactory.StartAsync(slots: 2);
        var client = api.CreateAuthorizedClient();
        var none = await Polling.SubmitAsync(client, BuiltinSpec(""", "artifacts": { "keepTop": 0 }""", trials: 2));
        Assert.Equal("completed", (await Polling.UntilFinishedAsync(client, none, TimeSpan.FromMinutes(3))).GetProperty("status").GetString());
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{none}/artifacts")).EnumerateArray());

        var cancelled = await Polling.SubmitAsync(client, BuiltinSpec("", trials: 40));
        await Polling.UntilAsync(async () =>
        {
            var e = await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{cancelled}");
            return e.GetProperty("trialCounts").GetProperty("completed").GetInt32() >= 2 ? e : null;
        }, TimeSpan.FromMinutes(2), "two finished trials");
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/experiments/{cancelled}/cancel", null)).StatusCode);
        Assert.Equal("cancelled", (await Polling.UntilFinishedAsync(client, cancelled, TimeSpan.FromMinutes(2))).GetProperty("status").GetString());
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{cancelled}/artifacts")).EnumerateArray());
    }

    [Fact]
    public async Task CommandTrainer_ArtifactFolder_IsKeptForTheBestTrial_WithoutFollowingLinks()
    {
        var dir = Directory.CreateTempSubdirectory("hpsearch-e2e-artifacts-").FullName;
        await using var api = await ApiFactory.StartAsync(slots: 1, settings: FakeCommandTrainer.Settings(dir, sleepSeconds: 0));
        var client = api.CreateAuthorizedClient();
        var id = await Polling.SubmitAsync(client, """
            { "name": "cmd-artifacts", "trainer": "fake", "dataset": "synthetic-blobs",
              "searchSpace": { "lr": { "type": "categorical", "values": [0.01, 0.0001] } },
              "strategy": { "kind": "grid" }, "budget": { "maxTrials": 2, "maxEpochs": 2 } }
            """);
        var experiment = await Polling.UntilFinishedAsync(client, id, TimeSpan.FromMinutes(2));
        Assert.Equal("completed", experiment.GetProperty("status").GetString());
        var bestId = experiment.GetProperty("bestTrialId").GetString();

        var artifacts = (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/artifacts")).EnumerateArray().ToList();
        Assert.Equal(["logs/last epoch.json", "model.txt"], artifacts.Select(a => a.GetProperty("name").GetString()));
        Assert.All(artifacts, a => Assert.Equal(bestId, a.GetProperty("trialId").GetString()));
        Assert.All(artifacts, a => Assert.Equal("file", a.GetProperty("kind").GetString()));
        var model = await client.GetFromJsonAsync<JsonElement>(artifacts[1].GetProperty("url").GetString());
        Assert.Equal(0.01, model.GetProperty("lr").GetDouble());
        var log = await client.GetAsync(artifacts[0].GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, log.StatusCode);
        Assert.Equal("last epoch.json", log.Content.Headers.ContentDisposition?.FileNameStar ?? log.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Directory.Delete(dir, recursive: true);
    }

    [Theory]
    [InlineData("""{ "keepTop": 21 }""", "artifacts.keepTop")]
    [InlineData("""{ "keepTop": -1 }""", "artifacts.keepTop")]
    [InlineData("""{ "retentionDays": 0 }""", "artifacts.retentionDays")]
    [InlineData("""{ "keep": 1 }""", "artifacts.keep")]
    [InlineData("""[1]""", "artifacts")]
    public async Task BadArtifactPolicy_IsRefused_NamingTheField(string policy, string field)
    {
        await using var api = await ApiFactory.StartAsync(workers: false);
        var client = api.CreateAuthorizedClient();
        var post = await client.PostAsync("/api/experiments", new StringContent(BuiltinSpec($""", "artifacts": {policy}"""), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        var problem = await post.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}
