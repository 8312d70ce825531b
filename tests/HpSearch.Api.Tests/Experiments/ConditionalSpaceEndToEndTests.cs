using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;

namespace HpSearch.Api.Tests.Experiments;

/// <summary>A conditional search space over HTTP to the end: momentum exists only for sgd-like optimizers and beta2
/// only for adam, in every trial the real engine trains, in the export and in the importance analysis; a bad condition
/// is a 400 naming its field.</summary>
public sealed class ConditionalSpaceEndToEndTests
{
    private const string Spec = """
        {
          "name": "e2e-conditional",
          "trainer": "builtin",
          "dataset": "synthetic-blobs",
          "params": { "model": "mlp", "hidden": [16], "epochs": 2, "batchSize": 32 },
          "searchSpace": {
            "lr": { "type": "logUniform", "low": 1e-3, "high": 1e-1 },
            "optimizer": { "type": "categorical", "values": ["sgd", "nesterov", "adam"] },
            "momentum": { "type": "uniform", "low": 0.5, "high": 0.95, "when": { "optimizer": ["sgd", "nesterov"] } },
            "beta2": { "type": "categorical", "values": [0.99, 0.999], "when": { "optimizer": "adam" } }
          },
          "objective": { "metric": "valAccuracy", "direction": "maximize" },
          "strategy": { "kind": "tpe", "seed": 4, "tpe": { "startupTrials": 3, "multivariate": true } },
          "budget": { "maxTrials": 8, "parallelism": 2 }
        }
        """;

    [Fact]
    public async Task ConditionalSpace_TrainsOnlyTheParametersThatExist_InEveryTrial()
    {
        await using var api = await ApiFactory.StartAsync(slots: 2);
        var client = api.CreateAuthorizedClient();
        var id = await Polling.SubmitAsync(client, Spec);

        var experiment = await Polling.UntilFinishedAsync(client, id, TimeSpan.FromMinutes(3));
        Assert.True(experiment.GetProperty("status").GetString() == "completed", experiment.ToString());
        var trials = (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(8, trials.Count);
        foreach (var t in trials)
        {
            Assert.Equal("completed", t.GetProperty("status").GetString());
            var p = t.GetProperty("params");
            var optimizer = p.GetProperty("optimizer").GetString();
            Assert.Equal(optimizer is "sgd" or "nesterov", p.TryGetProperty("momentum", out _));
            Assert.Equal(optimizer == "adam", p.TryGetProperty("beta2", out _));
        }

        var csv = (await client.GetStringAsync($"/api/experiments/{id}/export?format=csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("momentum", csv[0].Split(','));
        Assert.Contains("beta2", csv[0].Split(','));
        var importance = await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/importance");
        Assert.Equal(8, importance.GetProperty("trials").GetInt32()); // trials without momentum or beta2 still count
        Assert.Equal(["beta2", "lr", "momentum", "optimizer"],
            importance.GetProperty("parameters").EnumerateArray().Select(x => x.GetProperty("name").GetString()).Order());
    }

    [Fact]
    public async Task CreateExperiment_Returns400NamingTheCondition_WhenItsParentIsARange()
    {
        await using var api = await ApiFactory.StartAsync(workers: false);
        var client = api.CreateAuthorizedClient();
        var bad = Spec.Replace("\"when\": { \"optimizer\": \"adam\" }", "\"when\": { \"lr\": 0.01 }");
        var post = await client.PostAsync("/api/experiments", new StringContent(bad, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        var problem = await post.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("searchSpace.beta2.when.lr", out _), problem.ToString());
    }
}
