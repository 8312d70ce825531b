using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HpSearch.Api.Tests.Experiments;

/// <summary>The whole path over HTTP: submit, the controller queues trials, the embedded pool trains them on the
/// real engine, every epoch lands in PostgreSQL, the best trial is chosen on validation and evaluated on test once.</summary>
public sealed class RandomSearchEndToEndTests
{
    private const string Spec = """
        {
          "name": "e2e-random",
          "trainer": "builtin",
          "dataset": "synthetic-blobs",
          "params": { "model": "mlp", "hidden": [32], "activation": "relu", "init": "he", "epochs": 3, "batchSize": 32 },
          "searchSpace": {
            "lr": { "type": "logUniform", "low": 1e-3, "high": 1e-1 },
            "optimizer": { "type": "categorical", "values": ["sgd", "momentum", "adam"] },
            "dropout": { "type": "uniform", "low": 0.0, "high": 0.3 }
          },
          "objective": { "metric": "valAccuracy", "direction": "maximize" },
          "strategy": { "kind": "random", "seed": 7 },
          "budget": { "maxTrials": 4, "parallelism": 2 }
        }
        """;

    [Fact]
    public async Task RandomSearch_TrainsEveryTrial_AndChoosesABestTrialWithTestAccuracy()
    {
        await using var api = await ApiFactory.StartAsync(slots: 2);
        var client = api.CreateAuthorizedClient();

        var post = await client.PostAsync("/api/experiments", new StringContent(Spec, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var experiment = await Polling.UntilFinishedAsync(client, id, TimeSpan.FromMinutes(3));
        Assert.Equal("completed", experiment.GetProperty("status").GetString());
        Assert.Equal(4, experiment.GetProperty("trialCounts").GetProperty("completed").GetInt32());

        var trials = (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(4, trials.Count);
        foreach (var t in trials)
        {
            Assert.Equal(3, t.GetProperty("epochCount").GetInt32());
            var lr = t.GetProperty("params").GetProperty("lr").GetDouble();
            Assert.InRange(lr, 1e-3, 1e-1);
            var detail = await client.GetFromJsonAsync<JsonElement>($"/api/trials/{t.GetProperty("id").GetString()}");
            var epochs = detail.GetProperty("metrics").EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()).ToList();
            Assert.Equal([1, 2, 3], epochs);
            foreach (var e in detail.GetProperty("metrics").EnumerateArray())
                foreach (var key in new[] { "trainLoss", "valLoss", "valAccuracy", "lr", "seconds" })
                    Assert.Equal(JsonValueKind.Number, e.GetProperty(key).ValueKind);
        }

        // One row per trial and epoch in the database itself.
        using (var scope = api.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HpSearchDb>();
            var rows = await db.TrialEpochs.CountAsync(e => db.Trials.Any(t => t.Id == e.TrialId && t.ExperimentId == Guid.Parse(id)));
            Assert.Equal(12, rows);
        }

        // The best trial is the best on validation, and only it was evaluated on test data.
        var best = experiment.GetProperty("bestTrial");
        var bestVal = trials.Max(t => t.GetProperty("bestValue").GetDouble());
        Assert.Equal(bestVal, best.GetProperty("bestValue").GetDouble());
        Assert.Equal(JsonValueKind.Number, best.GetProperty("testAccuracy").ValueKind);
        Assert.Single(trials, t => t.GetProperty("testAccuracy").ValueKind == JsonValueKind.Number || t.GetProperty("id").GetString() == best.GetProperty("id").GetString());

        // The importance report reads the stored spec (its search space) and the four finished trials.
        var importance = await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/importance");
        Assert.Equal(4, importance.GetProperty("trials").GetInt32());
        Assert.Equal(["dropout", "lr", "optimizer"], importance.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Order());
    }

    [Fact]
    public async Task CancelExperiment_StopsIt_DeletesItsCheckpoints_AndA409FollowsOnceFinished()
    {
        await using var api = await ApiFactory.StartAsync(slots: 1);
        var client = api.CreateAuthorizedClient();
        // Short and long trials: a short one finishes with its checkpoint while a long one is still running.
        var spec = Spec.Replace("\"epochs\": 3, ", "").Replace("\"maxTrials\": 4", "\"maxTrials\": 8")
            .Replace("\"searchSpace\": {", "\"searchSpace\": {\n    \"epochs\": { \"type\": \"categorical\", \"values\": [1, 400] },");
        var post = await client.PostAsync("/api/experiments", new StringContent(spec, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(post.StatusCode == HttpStatusCode.Created, await post.Content.ReadAsStringAsync());
        var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        await Polling.UntilAsync(async () =>
        {
            var e = await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}");
            return e.GetProperty("trialCounts").GetProperty("running").GetInt32() > 0 && await CheckpointsAsync(api, id) > 0 ? e : null;
        }, TimeSpan.FromMinutes(3), "a running trial after a finished one kept its checkpoint");

        var cancel = await client.PostAsync($"/api/experiments/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var finished = await Polling.UntilFinishedAsync(client, id, TimeSpan.FromMinutes(1));
        Assert.Equal("cancelled", finished.GetProperty("status").GetString());
        var counts = finished.GetProperty("trialCounts");
        Assert.Equal(0, counts.GetProperty("running").GetInt32() + counts.GetProperty("queued").GetInt32());
        Assert.Equal(0L, await CheckpointsAsync(api, id)); // a cancelled sweep evaluates nothing and keeps no weights

        var again = await client.PostAsync($"/api/experiments/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<long> CheckpointsAsync(ApiFactory api, string experimentId)
    {
        await using var conn = new Npgsql.NpgsqlConnection(api.Database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            "SELECT count(*) FROM checkpoints c JOIN trials t ON t.id = c.trial_id WHERE t.experiment_id = @id", conn);
        cmd.Parameters.AddWithValue("id", Guid.Parse(experimentId));
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
