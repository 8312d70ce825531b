using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;

namespace HpSearch.Api.Tests.Experiments;

/// <summary>A sweep on the TorchSharp trainer through the whole service: the embedded pool trains on libtorch, the median
/// rule prunes the hopeless learning rates, the trial keeps the trainer and device it ran on, the best trial is evaluated
/// on test from its TorchSharp checkpoint.</summary>
public sealed class TorchSharpEndToEndTests
{
    private const string Spec = """
        {
          "name": "torchsharp-sweep",
          "trainer": "TRAINER",
          "dataset": "synthetic-blobs",
          "params": { "model": "mlp", "hidden": [32], "activation": "relu", "init": "he", "batchSize": 32, "optimizer": "adam" },
          "searchSpace": { "lr": { "type": "categorical", "values": [0.01, 0.000001, 0.000002] } },
          "objective": { "metric": "valAccuracy", "direction": "maximize" },
          "strategy": { "kind": "grid" },
          "budget": { "maxTrials": 3, "parallelism": 1, "maxEpochs": 6 },
          "earlyStopping": { "kind": "median", "startupTrials": 1, "warmupEpochs": 1 }
        }
        """;

    [Fact]
    public async Task Sweep_OnTorchSharp_PrunesThePoorRuns_AndRecordsTrainerAndDevice()
    {
        await using var api = await ApiFactory.StartAsync(slots: 1);
        var client = api.CreateAuthorizedClient();

        var post = await client.PostAsync("/api/experiments", new StringContent(Spec.Replace("TRAINER", "torchsharp"), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var experiment = await Polling.UntilFinishedAsync(client, id, TimeSpan.FromMinutes(4));

        Assert.Equal("completed", experiment.GetProperty("status").GetString());
        var trials = (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, trials.Count);
        Assert.Equal("completed", trials[0].GetProperty("status").GetString());
        Assert.Equal(6, trials[0].GetProperty("epochCount").GetInt32());
        Assert.All(trials.Skip(1), t =>
        {
            Assert.Equal("pruned", t.GetProperty("status").GetString());
            Assert.Equal("median", t.GetProperty("stopReason").GetProperty("rule").GetString());
        });
        Assert.All(trials, t =>
        {
            Assert.Equal("torchsharp", t.GetProperty("summary").GetProperty("trainer").GetString());
            Assert.Equal("cpu", t.GetProperty("summary").GetProperty("device").GetString());
        });
        Assert.True(experiment.GetProperty("epochsSaved").GetInt32() > 0);

        var best = await Polling.UntilAsync(async () =>
        {
            var t = await client.GetFromJsonAsync<JsonElement>($"/api/trials/{trials[0].GetProperty("id").GetString()}");
            return t.GetProperty("testAccuracy").ValueKind == JsonValueKind.Number ? t : (JsonElement?)null;
        }, TimeSpan.FromMinutes(1), "the best trial's test evaluation");
        Assert.InRange(best.GetProperty("testAccuracy").GetDouble(), 0.5, 1.0);
    }

    [Fact]
    public async Task Submit_Returns400_ForAParameterTheTorchSharpTrainerDoesNotHave()
    {
        await using var api = await ApiFactory.StartAsync(workers: false);
        var client = api.CreateAuthorizedClient();
        var spec = Spec.Replace("TRAINER", "torchsharp").Replace("\"optimizer\": \"adam\"", "\"optimizer\": \"adam\", \"groupNorm\": true");

        var post = await client.PostAsync("/api/experiments", new StringContent(spec, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        var problem = await post.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("params.groupNorm", out _), problem.ToString());
    }
}
