using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;

namespace HpSearch.Api.Tests.Experiments;

/// <summary>A <c>bohb</c> experiment over HTTP to the end: TPE configurations put in Hyperband brackets (stages
/// bracket-0 …), each bracket's successive halving stopping its trials only at its own rungs.</summary>
public sealed class HyperbandEndToEndTests
{
    private const string Spec = """
        {
          "name": "e2e-bohb",
          "trainer": "builtin",
          "dataset": "synthetic-blobs",
          "params": { "model": "mlp", "hidden": [32], "activation": "relu", "init": "he", "batchSize": 32 },
          "searchSpace": {
            "lr": { "type": "logUniform", "low": 1e-4, "high": 1e-1 },
            "optimizer": { "type": "categorical", "values": ["sgd", "adam"] }
          },
          "objective": { "metric": "valAccuracy", "direction": "maximize" },
          "strategy": { "kind": "bohb", "seed": 5, "tpe": { "startupTrials": 3 }, "hyperband": { "minEpochs": 1, "reductionFactor": 3 } },
          "budget": { "maxTrials": 8, "parallelism": 2, "maxEpochs": 9 }
        }
        """;

    // R = 9, r = 1, η = 3: brackets 0, 1, 2 with first rungs at epochs 1, 3 and 9 (no rung below R).
    private static readonly Dictionary<string, int[]> Rungs = new()
    {
        ["bracket-0"] = [1, 3], ["bracket-1"] = [3], ["bracket-2"] = [],
    };

    [Fact]
    public async Task Bohb_RunsTrialsInBrackets_AndStopsThemOnlyAtTheirBracketsRungs()
    {
        await using var api = await ApiFactory.StartAsync(slots: 2);
        var client = api.CreateAuthorizedClient();
        var post = await client.PostAsync("/api/experiments", new StringContent(Spec, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var experiment = await Polling.UntilFinishedAsync(client, id, TimeSpan.FromMinutes(3));
        Assert.True(experiment.GetProperty("status").GetString() == "completed", experiment.ToString());
        Assert.Equal("bohb", experiment.GetProperty("strategy").GetString());

        var trials = (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(8, trials.Count);
        Assert.Equal(3, trials.Select(t => t.GetProperty("stage").GetString()).Distinct().Count());
        foreach (var t in trials)
        {
            var stage = t.GetProperty("stage").GetString()!;
            var epochs = t.GetProperty("epochCount").GetInt32();
            switch (t.GetProperty("status").GetString())
            {
                case "completed": Assert.Equal(9, epochs); break;
                case "pruned": Assert.Contains(epochs, Rungs[stage]); break;
                default: Assert.Fail(t.ToString()); break;
            }
        }
        Assert.Equal(JsonValueKind.Number, experiment.GetProperty("bestTrial").GetProperty("bestValue").ValueKind);
    }
}
