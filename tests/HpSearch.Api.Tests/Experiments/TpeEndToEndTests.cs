using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;

namespace HpSearch.Api.Tests.Experiments;

/// <summary>A <c>tpe</c> experiment over HTTP to the end, with ASHA and two slots: the random start-up, then model-based
/// suggestions (queued and running trials count as the worst), every trial trained on the real engine; an enqueued
/// configuration goes first.</summary>
public sealed class TpeEndToEndTests
{
    private const string Spec = """
        {
          "name": "e2e-tpe",
          "trainer": "builtin",
          "dataset": "synthetic-blobs",
          "params": { "model": "mlp", "activation": "relu", "init": "he", "epochs": 3, "batchSize": 32 },
          "searchSpace": {
            "lr": { "type": "logUniform", "low": 1e-4, "high": 1e-1 },
            "optimizer": { "type": "categorical", "values": ["sgd", "momentum", "adam"] },
            "hidden": { "type": "int", "low": 8, "high": 64, "log": true },
            "dropout": { "type": "uniform", "low": 0.0, "high": 0.3 }
          },
          "objective": { "metric": "valAccuracy", "direction": "maximize" },
          "strategy": { "kind": "tpe", "seed": 11, "tpe": { "startupTrials": 3, "multivariate": true },
                        "enqueue": [{ "lr": 0.01, "optimizer": "adam" }] },
          "budget": { "maxTrials": 7, "parallelism": 2 },
          "earlyStopping": { "kind": "asha", "minEpochs": 1, "reductionFactor": 3 }
        }
        """;

    [Fact]
    public async Task Tpe_RunsEveryTrial_AndChoosesABestTrial()
    {
        await using var api = await ApiFactory.StartAsync(slots: 2);
        var client = api.CreateAuthorizedClient();
        var id = await Polling.SubmitAsync(client, Spec);

        var experiment = await Polling.UntilFinishedAsync(client, id, TimeSpan.FromMinutes(3));
        Assert.True(experiment.GetProperty("status").GetString() == "completed", experiment.ToString());
        Assert.Equal("tpe", experiment.GetProperty("strategy").GetString());

        var trials = (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(7, trials.Count);
        Assert.All(trials, t => Assert.Contains(t.GetProperty("status").GetString(), new[] { "completed", "pruned" }));
        var configurations = trials.Select(t => t.GetProperty("params").ToString()).Distinct().Count();
        Assert.Equal(7, configurations);
        foreach (var t in trials)
        {
            var p = t.GetProperty("params");
            Assert.InRange(p.GetProperty("lr").GetDouble(), 1e-4, 1e-1);
            Assert.InRange(p.GetProperty("hidden").GetInt64(), 8, 64);
            Assert.Contains(p.GetProperty("optimizer").GetString(), new[] { "sgd", "momentum", "adam" });
        }
        // The enqueued configuration is the first trial; the sampler filled in what it left out.
        var first = trials.Single(t => t.GetProperty("number").GetInt32() == 0).GetProperty("params");
        Assert.Equal((0.01, "adam"), (first.GetProperty("lr").GetDouble(), first.GetProperty("optimizer").GetString()));
        Assert.InRange(first.GetProperty("dropout").GetDouble(), 0.0, 0.3);
        Assert.Equal(JsonValueKind.Number, experiment.GetProperty("bestTrial").GetProperty("bestValue").ValueKind);
    }
}
