using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Api.Tests.Faults;
using HpSearch.Api.Tests.Infrastructure;

namespace HpSearch.Api.Tests.AskTell;

/// <summary>Several objectives over ask/tell with the Python client: an objective function returns a tuple (Optuna's
/// multi-objective form), the client reports both metrics, and <c>Client.front()</c> reads the experiment's Pareto front.</summary>
public sealed class AskTellMultiObjectiveTests
{
    private const string Spec = """
        { "name": "asktell-pareto", "trainer": "external",
          "searchSpace": { "speed": { "type": "uniform", "low": 0.2, "high": 2 } },
          "objectives": [{ "metric": "score", "direction": "maximize" }, { "metric": "cost", "direction": "minimize" }],
          "strategy": { "kind": "random", "seed": 3 },
          "budget": { "maxTrials": 8, "maxEpochs": 1, "parallelism": 1 } }
        """;

    [Fact]
    public async Task PythonClient_ReportsBothObjectives_AndReadsTheFront()
    {
        await using var api = await ApiFactory.StartOnPortAsync(workers: false, settings: FaultCluster.FastJobs(new Dictionary<string, string>()));
        var http = api.CreateAuthorizedClient();
        var id = await AskTellEndToEndTests.SubmitAsync(http, Spec);
        using var python = PythonClient.Start("pareto", api.BaseUrl, ApiFactory.ApiKey, id, "client-p");
        Assert.Equal(0, await python.ExitAsync(TimeSpan.FromSeconds(90)));
        Assert.Equal(8, (await python.EventAsync("done", TimeSpan.FromSeconds(1))).GetProperty("told").GetArrayLength());

        var experiment = await Polling.UntilFinishedAsync(http, id, TimeSpan.FromSeconds(30));
        Assert.Equal("completed", experiment.GetProperty("status").GetString());
        // The values the script reported (score 1 - (speed - 1.4)^2, cost = speed), recomputed from the stored parameters.
        var trials = (await http.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials")).GetProperty("items").EnumerateArray()
            .Select(t => (Number: t.GetProperty("number").GetInt32(), Speed: t.GetProperty("params").GetProperty("speed").GetDouble())).ToList();
        var vectors = trials.ToDictionary(t => t.Number, t => (Score: 1 - Math.Pow(t.Speed - 1.4, 2), Cost: t.Speed));
        var expected = vectors.Where(v => !vectors.Values.Any(o => o.Score >= v.Value.Score && o.Cost <= v.Value.Cost
            && (o.Score > v.Value.Score || o.Cost < v.Value.Cost))).Select(v => v.Key).Order().ToList();

        var front = experiment.GetProperty("front").EnumerateArray().Select(m => m.GetProperty("number").GetInt32()).ToList();
        Assert.Equal(expected, front);
        var seen = (await python.EventAsync("front", TimeSpan.FromSeconds(1))).GetProperty("front").EnumerateArray()
            .Select(m => m.GetProperty("number").GetInt32()).ToList();
        Assert.Equal(expected, seen);
        foreach (var m in experiment.GetProperty("front").EnumerateArray())
        {
            var v = vectors[m.GetProperty("number").GetInt32()];
            var values = m.GetProperty("values").EnumerateArray().Select(x => x.GetDouble()).ToList();
            Assert.Equal(v.Score, values[0], 9);
            Assert.Equal(v.Cost, values[1], 9);
        }
    }
}
