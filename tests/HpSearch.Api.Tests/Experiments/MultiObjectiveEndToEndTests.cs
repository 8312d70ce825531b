using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;

namespace HpSearch.Api.Tests.Experiments;

/// <summary>Several objectives over HTTP to the end: a MOTPE sweep on the real engine that trades validation accuracy
/// against model size, whose <c>front</c> must be exactly the non-dominated set of the stored trials; and a trainer that
/// never reports the objective fails its trials with that reason.</summary>
public sealed class MultiObjectiveEndToEndTests
{
    private const string Spec = """
        {
          "name": "e2e-pareto",
          "trainer": "builtin",
          "dataset": "synthetic-blobs",
          "params": { "model": "mlp", "activation": "relu", "init": "he", "epochs": 2, "batchSize": 32 },
          "searchSpace": {
            "lr": { "type": "logUniform", "low": 1e-3, "high": 1e-1 },
            "hidden": { "type": "int", "low": 2, "high": 64, "log": true }
          },
          "objectives": [
            { "metric": "valAccuracy", "direction": "maximize" },
            { "metric": "parameters", "direction": "minimize" }
          ],
          "strategy": { "kind": "tpe", "seed": 5, "tpe": { "startupTrials": 3 } },
          "budget": { "maxTrials": 8, "parallelism": 2 }
        }
        """;

    [Fact]
    public async Task TwoObjectiveSweep_ReportsExactlyTheNonDominatedTrials_AsItsFront()
    {
        await using var api = await ApiFactory.StartAsync(slots: 2);
        var client = api.CreateAuthorizedClient();
        var id = await Polling.SubmitAsync(client, Spec);
        var experiment = await Polling.UntilFinishedAsync(client, id, TimeSpan.FromMinutes(3));
        Assert.True(experiment.GetProperty("status").GetString() == "completed", experiment.ToString());
        Assert.Equal(["valAccuracy", "parameters"],
            experiment.GetProperty("objectives").EnumerateArray().Select(o => o.GetProperty("metric").GetString()));

        // Each trial's vector from its stored epochs, independently of the service: the epoch best on valAccuracy.
        var trials = (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(8, trials.Count);
        var vectors = new Dictionary<int, (double Accuracy, double Parameters)>();
        foreach (var t in trials.Where(t => t.GetProperty("status").GetString() == "completed"))
        {
            var detail = await client.GetFromJsonAsync<JsonElement>($"/api/trials/{t.GetProperty("id").GetString()}");
            var best = detail.GetProperty("metrics").EnumerateArray()
                .Select(e => (Accuracy: e.GetProperty("valAccuracy").GetDouble(), Parameters: e.GetProperty("extra").GetProperty("parameters").GetDouble()))
                .Aggregate((a, b) => b.Accuracy > a.Accuracy ? b : a);
            vectors[t.GetProperty("number").GetInt32()] = best;
        }
        Assert.True(vectors.Count >= 6, $"only {vectors.Count} trials completed");
        Assert.True(vectors.Values.Select(v => v.Parameters).Distinct().Count() > 1, "every trial had the same size");
        bool Dominates((double Accuracy, double Parameters) a, (double Accuracy, double Parameters) b) =>
            a.Accuracy >= b.Accuracy && a.Parameters <= b.Parameters && (a.Accuracy > b.Accuracy || a.Parameters < b.Parameters);
        var expected = vectors.Where(v => !vectors.Values.Any(o => Dominates(o, v.Value))).Select(v => v.Key).Order().ToList();

        var front = experiment.GetProperty("front").EnumerateArray().ToList();
        Assert.Equal(expected, front.Select(m => m.GetProperty("number").GetInt32()));
        foreach (var m in front)
        {
            var v = vectors[m.GetProperty("number").GetInt32()];
            Assert.Equal([v.Accuracy, v.Parameters], m.GetProperty("values").EnumerateArray().Select(x => x.GetDouble()));
            Assert.Equal(trials.Single(t => t.GetProperty("number").GetInt32() == m.GetProperty("number").GetInt32()).GetProperty("id").GetString(),
                m.GetProperty("trialId").GetString());
        }
        // The chosen trial is the front member best on the first objective.
        var chosen = expected.OrderByDescending(n => vectors[n].Accuracy).ThenBy(n => n).First();
        Assert.Equal(chosen, experiment.GetProperty("bestTrialNumber").GetInt32());

        // The list carries the same objectives and front as the detail (the list and compare pages draw them), and its
        // best value, which sorting the list by best value orders on, is the first objective's best on the front.
        var listed = (await client.GetFromJsonAsync<JsonElement>("/api/experiments?q=e2e-pareto&sort=bestValue")).GetProperty("items")
            .EnumerateArray().Single(e => e.GetProperty("id").GetString() == id);
        Assert.Equal(experiment.GetProperty("objectives").GetRawText(), listed.GetProperty("objectives").GetRawText());
        Assert.Equal(experiment.GetProperty("front").GetRawText(), listed.GetProperty("front").GetRawText());
        Assert.Equal(expected.Max(n => vectors[n].Accuracy), listed.GetProperty("bestValue").GetDouble());

        // The CSV export marks the same trials and carries both objectives.
        var csv = (await client.GetStringAsync($"/api/experiments/{id}/export?format=csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = csv[0].Split(',');
        var onFront = Array.IndexOf(header, "onFront");
        Assert.True(onFront > 0, csv[0]);
        Assert.Equal(onFront + 2, Array.IndexOf(header, "objective.parameters"));
        var marked = csv.Skip(1).Select(l => l.Split(',')).Where(f => f[onFront] == "true").Select(f => int.Parse(f[0])).Order();
        Assert.Equal(expected, marked);

        var json = await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/export?format=json");
        Assert.Equal(expected, json.EnumerateArray().Where(t => t.GetProperty("onFront").GetBoolean())
            .Select(t => t.GetProperty("number").GetInt32()).Order());
    }

    [Fact]
    public async Task Sweep_FailsItsTrials_WithTheReason_WhenTheTrainerNeverReportsTheObjective()
    {
        var dir = Directory.CreateTempSubdirectory("hpsearch-e2e-objective-").FullName;
        await using var api = await ApiFactory.StartAsync(slots: 1, settings: FakeCommandTrainer.Settings(dir, sleepSeconds: 0));
        var client = api.CreateAuthorizedClient();
        var id = await Polling.SubmitAsync(client, """
            {
              "name": "never-reported", "trainer": "fake", "dataset": "synthetic-blobs",
              "searchSpace": { "lr": { "type": "categorical", "values": [0.01] } },
              "objective": { "metric": "bleu", "direction": "maximize" },
              "budget": { "maxTrials": 1, "maxFailedTrials": 0, "maxEpochs": 2 }
            }
            """);
        var experiment = await Polling.UntilFinishedAsync(client, id, TimeSpan.FromMinutes(2));
        Assert.Equal("failed", experiment.GetProperty("status").GetString());
        var trial = Assert.Single((await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials")).GetProperty("items").EnumerateArray());
        Assert.Equal("failed", trial.GetProperty("status").GetString());
        Assert.Contains("never reported the objective 'bleu'", trial.GetProperty("error").GetString());
        Directory.Delete(dir, recursive: true);
    }
}
