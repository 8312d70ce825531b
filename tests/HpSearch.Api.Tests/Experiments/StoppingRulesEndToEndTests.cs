using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;

namespace HpSearch.Api.Tests.Experiments;

/// <summary>Early stopping through the whole service: the trial job asks the Domain's stopping check after every epoch,
/// a pruned trial keeps why it stopped, the experiment counts the epochs saved, and the result is a completed trial.</summary>
public sealed class StoppingRulesEndToEndTests
{
    private const string Spec = """
        {
          "name": "e2e-stopping",
          "trainer": "builtin",
          "dataset": "synthetic-blobs",
          "params": { "model": "mlp", "hidden": [32], "activation": "relu", "init": "he", "epochs": 6, "batchSize": 32 },
          "searchSpace": {
            "lr": { "type": "logUniform", "low": 1e-5, "high": 1e-1 },
            "optimizer": { "type": "categorical", "values": ["sgd", "adam"] }
          },
          "objective": { "metric": "valAccuracy", "direction": "maximize" },
          "strategy": { "kind": "random", "seed": 11 },
          "budget": { "maxTrials": 9, "parallelism": 2 },
          "earlyStopping": EARLY_STOPPING
        }
        """;

    [Fact]
    public async Task AshaSweep_PrunesTrialsAtRungs_AndKeepsTheirStopReasons()
    {
        var (experiment, pruned) = await RunAsync("""{ "kind": "asha", "minEpochs": 1, "reductionFactor": 3 }""");

        Assert.All(pruned, t =>
        {
            var reason = t.GetProperty("stopReason");
            Assert.Equal("asha", reason.GetProperty("rule").GetString());
            Assert.Contains(reason.GetProperty("rung").GetInt32(), new[] { 0, 1, 2 });
            Assert.Contains(reason.GetProperty("epoch").GetInt32(), new[] { 1, 3 });
            Assert.Equal(reason.GetProperty("epoch").GetInt32(), t.GetProperty("epochCount").GetInt32());
        });
        Assert.True(experiment.GetProperty("epochsSaved").GetInt32() > 0);
    }

    [Fact]
    public async Task MedianSweepWithPatience_PrunesBelowTheMedian_AndKeepsTheirStopReasons()
    {
        var (experiment, pruned) = await RunAsync("""{ "kind": "median", "startupTrials": 2, "warmupEpochs": 1, "patience": 2 }""");

        Assert.All(pruned, t => Assert.Equal("median", t.GetProperty("stopReason").GetProperty("rule").GetString()));
        Assert.True(experiment.GetProperty("epochsSaved").GetInt32() > 0);
    }

    /// <summary>Runs the sweep with <paramref name="earlyStopping"/> to the end; checks what every stopping rule must
    /// give and returns the experiment and its pruned trials.</summary>
    private static async Task<(JsonElement Experiment, List<JsonElement> Pruned)> RunAsync(string earlyStopping)
    {
        await using var api = await ApiFactory.StartAsync(slots: 2);
        var client = api.CreateAuthorizedClient();
        var post = await client.PostAsync("/api/experiments",
            new StringContent(Spec.Replace("EARLY_STOPPING", earlyStopping), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var experiment = await Polling.UntilFinishedAsync(client, id, TimeSpan.FromMinutes(3));
        Assert.Equal("completed", experiment.GetProperty("status").GetString());
        var trials = (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(9, trials.Count);

        var pruned = trials.Where(t => t.GetProperty("status").GetString() == "pruned").ToList();
        Assert.NotEmpty(pruned);
        Assert.Equal(pruned.Count, experiment.GetProperty("trialCounts").GetProperty("pruned").GetInt32());
        foreach (var t in pruned)
        {
            var reason = t.GetProperty("stopReason");
            Assert.True(reason.GetProperty("pruned").GetBoolean());
            Assert.Equal(JsonValueKind.Number, reason.GetProperty("epoch").ValueKind);
            Assert.Equal(JsonValueKind.Number, reason.GetProperty("value").ValueKind);
            Assert.Equal(JsonValueKind.Number, reason.GetProperty("threshold").ValueKind);
            Assert.False(string.IsNullOrWhiteSpace(reason.GetProperty("message").GetString()));
            Assert.True(t.GetProperty("epochCount").GetInt32() < 6);
        }

        var epochs = trials.Sum(t => t.GetProperty("epochCount").GetInt32());
        Assert.Equal(epochs, experiment.GetProperty("epochsTrained").GetInt32());

        // The result is a completed trial, never a pruned one, and the best of the completed ones on validation.
        var best = experiment.GetProperty("bestTrial");
        Assert.Equal("completed", best.GetProperty("status").GetString());
        var bestCompleted = trials.Where(t => t.GetProperty("status").GetString() == "completed").Max(t => t.GetProperty("bestValue").GetDouble());
        Assert.Equal(bestCompleted, best.GetProperty("bestValue").GetDouble());
        return (experiment, pruned);
    }
}
