using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;

namespace HpSearch.Api.Tests.Experiments;

/// <summary>The six-step recipe through HTTP to the end, on tiny budgets (strategy.sixStep overrides): every stage runs
/// as trials of the embedded pool, each stage's outcome is stored and shown, and the result is a refine-stage trial.</summary>
public sealed class SixStepEndToEndTests
{
    private const string Spec = """
        {
          "name": "e2e-six-step",
          "trainer": "builtin",
          "dataset": "synthetic-blobs",
          "params": { "model": "mlp", "hidden": [32], "activation": "relu", "init": "he", "batchSize": 32 },
          "searchSpace": {
            "lr": { "type": "logUniform", "low": 1e-4, "high": 1e-1 },
            "weightDecay": { "type": "logUniform", "low": 1e-6, "high": 1e-3 }
          },
          "objective": { "metric": "valAccuracy", "direction": "maximize" },
          "strategy": {
            "kind": "six-step", "seed": 5,
            "sixStep": {
              "initialLossTolerance": 0.6, "overfitMaxEpochs": 40, "lrFinderPoints": 4, "lrFinderIterations": 10,
              "coarseLrFactors": [1, 2], "coarseWeightDecays": [0], "coarseEpochs": 2,
              "refineTopK": 1, "refineTrials": 1, "refineEpochs": 4
            }
          },
          "budget": { "maxTrials": 11, "parallelism": 2, "maxEpochs": 40 }
        }
        """;

    private static readonly string[] StageNames = ["initial-loss", "overfit", "lr-finder", "coarse", "refine", "curves"];

    [Fact]
    public async Task SixStep_RunsAllSixStages_AndShowsEachStagesResult()
    {
        await using var api = await ApiFactory.StartAsync(slots: 2);
        var client = api.CreateAuthorizedClient();
        var post = await client.PostAsync("/api/experiments", new StringContent(Spec, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var experiment = await Polling.UntilFinishedAsync(client, id, TimeSpan.FromMinutes(2));
        var trials = (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials")).GetProperty("items").EnumerateArray().ToList();
        var errors = string.Join("; ", trials.Select(t => $"{t.GetProperty("stage")} {t.GetProperty("status")}: {t.GetProperty("error")}"));
        Assert.True(experiment.GetProperty("status").GetString() == "completed", $"{experiment.GetProperty("failureReason")} trials: {errors}");

        var stages = experiment.GetProperty("stages").EnumerateArray().ToList();
        Assert.Equal(StageNames, stages.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal([1, 2, 3, 4, 5, 6], stages.Select(s => s.GetProperty("number").GetInt32()));
        Assert.All(stages, s =>
        {
            Assert.True(s.GetProperty("status").GetString() == "passed", s.ToString());
            Assert.False(string.IsNullOrWhiteSpace(s.GetProperty("summary").GetString()));
        });
        Assert.Equal("curves", experiment.GetProperty("currentStage").GetString());
        Assert.Equal(JsonValueKind.Number, stages[0].GetProperty("values").GetProperty("initialLoss").ValueKind);
        Assert.Equal(JsonValueKind.Number, stages[2].GetProperty("values").GetProperty("lr").ValueKind);

        // Every trial is tagged with the stage that asked for it; the result is a refine (or coarse) trial, never a diagnostic run.
        var byStage = trials.GroupBy(t => t.GetProperty("stage").GetString()).ToDictionary(g => g.Key ?? "", g => g.Count());
        Assert.Equal(1, byStage["initial-loss"]);
        Assert.Equal(3, byStage["overfit"]);
        Assert.Equal(4, byStage["lr-finder"]);
        Assert.Equal(2, byStage["coarse"]);
        Assert.Equal(1, byStage["refine"]);
        Assert.DoesNotContain("", byStage.Keys);
        var best = experiment.GetProperty("bestTrial");
        Assert.Contains(best.GetProperty("stage").GetString(), new[] { "coarse", "refine" });
        Assert.Equal(JsonValueKind.Number, best.GetProperty("bestValue").ValueKind);
    }
}
