using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;

namespace HpSearch.Api.Tests.AskTell;

/// <summary>The same learning curves (curves.py), trained once by a worker (a command trainer printing them) and once by
/// a Python ask/tell client reporting them: every trial gets the same parameters, ends the same way at the same epoch,
/// and keeps the same stop reason, because both go through the one epoch step (TrialEpochs) and the Domain's rules.</summary>
public sealed class AskTellPruningTests
{
    private static string Spec(string trainer, string earlyStopping) => $$"""
        { "name": "parity-{{trainer}}", "trainer": "{{trainer}}", "dataset": "synthetic-blobs",
          "searchSpace": { "lr": { "type": "logUniform", "low": 1e-4, "high": 1 }, "speed": { "type": "uniform", "low": 0.2, "high": 2 } },
          "objective": { "metric": "valAccuracy", "direction": "maximize" },
          "strategy": { "kind": "random", "seed": 7 },
          "budget": { "maxTrials": 8, "maxEpochs": 6, "parallelism": 1 },
          "earlyStopping": {{earlyStopping}} }
        """;

    private static Dictionary<string, string> CurveTrainer()
    {
        var settings = new Dictionary<string, string>
        {
            ["Trainers:Commands:0:Name"] = "curves",
            ["Trainers:Commands:0:Executable"] = "/usr/bin/python3",
            ["Trainers:Commands:0:Arguments:0"] = Path.Combine(AppContext.BaseDirectory, "AskTell", "curve_trainer.py"),
            ["Trainers:Commands:0:TimeoutSeconds"] = "60",
        };
        foreach (var (k, v) in Faults.FaultCluster.FastJobs()) settings[k] = v;
        return settings;
    }

    [Theory]
    [InlineData("""{ "kind": "asha", "minEpochs": 1, "reductionFactor": 2 }""")]
    [InlineData("""{ "kind": "median", "startupTrials": 2, "warmupEpochs": 1 }""")]
    [InlineData("""{ "kind": "patience", "patience": 1 }""")]
    public async Task StoppingDecisions_OfAskTellTrials_MatchTheWorkerRunOnes_OnTheSameCurves(string earlyStopping)
    {
        await using var api = await ApiFactory.StartOnPortAsync(slots: 1, settings: CurveTrainer());
        var http = api.CreateAuthorizedClient();
        var served = await AskTellEndToEndTests.SubmitAsync(http, Spec("curves", earlyStopping));
        var asked = await AskTellEndToEndTests.SubmitAsync(http, Spec("external", earlyStopping));

        using var client = PythonClient.Start("optimize", api.BaseUrl, ApiFactory.ApiKey, asked, "parity-client");
        Assert.Equal(0, await client.ExitAsync(TimeSpan.FromSeconds(90)));
        await Polling.UntilFinishedAsync(http, served, TimeSpan.FromSeconds(90));
        await Polling.UntilFinishedAsync(http, asked, TimeSpan.FromSeconds(30));

        var byWorker = await TrialsAsync(http, served);
        var byClient = await TrialsAsync(http, asked);
        Assert.Equal(8, byWorker.Count);
        Assert.Equal(byWorker.Count, byClient.Count);
        // The curves cross, so the rule stopped someone (else this test could not tell the paths apart).
        Assert.Contains(byWorker, t => t.GetProperty("stopReason").ValueKind == JsonValueKind.Object);
        for (var i = 0; i < byWorker.Count; i++)
        {
            var (w, c) = (byWorker[i], byClient[i]);
            Assert.Equal(w.GetProperty("params").GetRawText(), c.GetProperty("params").GetRawText());
            Assert.Equal(w.GetProperty("status").GetString(), c.GetProperty("status").GetString());
            Assert.Equal(w.GetProperty("epochCount").GetInt32(), c.GetProperty("epochCount").GetInt32());
            Assert.Equal(Normal(w.GetProperty("stopReason")), Normal(c.GetProperty("stopReason")));
        }
    }

    private static async Task<List<JsonElement>> TrialsAsync(HttpClient http, string id) =>
        (await http.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials?pageSize=200")).GetProperty("items")
            .EnumerateArray().OrderBy(t => t.GetProperty("number").GetInt32()).ToList();

    /// <summary>The stop reason with its members in one order (jsonb stores them in its own).</summary>
    private static string Normal(JsonElement reason) => reason.ValueKind != JsonValueKind.Object ? "none"
        : string.Join(";", reason.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}={p.Value.GetRawText()}"));
}
