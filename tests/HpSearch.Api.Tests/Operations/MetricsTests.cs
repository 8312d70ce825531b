using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using HpSearch.Api.Tests.Infrastructure;

namespace HpSearch.Api.Tests.Operations;

/// <summary>/metrics (Prometheus text from OpenTelemetry) counts what a sweep did: epochs stored, trials finished by
/// status, stopping decisions by rule, and the API's request durations.</summary>
public sealed class MetricsTests
{
    private const string Spec = """
        {
          "name": "metrics", "trainer": "builtin", "dataset": "synthetic-blobs",
          "params": { "model": "mlp", "hidden": [16], "epochs": 4, "batchSize": 32 },
          "searchSpace": { "lr": { "type": "logUniform", "low": 1e-5, "high": 1e-1 } },
          "strategy": { "kind": "random", "seed": 3 },
          "budget": { "maxTrials": 6, "parallelism": 2 },
          "earlyStopping": { "kind": "asha", "minEpochs": 1, "reductionFactor": 2 }
        }
        """;

    [Fact]
    public async Task Metrics_CountTheSweepsEpochsOutcomesAndStoppingDecisions()
    {
        await using var api = await ApiFactory.StartAsync(slots: 2);
        var client = api.CreateAuthorizedClient();
        var before = Parse(await client.GetStringAsync("/metrics"));
        var id = await Polling.SubmitAsync(client, Spec);
        await Polling.UntilFinishedAsync(client, id, TimeSpan.FromMinutes(3));
        var trials = (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials")).GetProperty("items").EnumerateArray().ToList();

        // The counters are the process's (other tests' sweeps add to them too): this sweep's part is at least the growth.
        var text = await client.GetStringAsync("/metrics");
        var after = Parse(text);
        double Grew(string name, params string[] labels) => Sum(after, name, labels) - Sum(before, name, labels);
        Assert.True(Grew("hpsearch_epochs_total") >= trials.Sum(t => t.GetProperty("epochCount").GetInt32()), text);
        foreach (var status in new[] { "completed", "pruned" })
        {
            var n = trials.Count(t => t.GetProperty("status").GetString() == status);
            if (n > 0) Assert.True(Grew("hpsearch_trials_finished_total", $"status=\"{status}\"") >= n, text);
        }
        var stopped = trials.Count(t => t.TryGetProperty("stopReason", out var r) && r.ValueKind == JsonValueKind.Object);
        if (stopped > 0) Assert.True(Grew("hpsearch_stopping_decisions_total", "rule=\"asha\"", "pruned=\"true\"") >= stopped, text);
        // ASP.NET Core's request durations: the exporter may answer a scrape from its short cache, and a request's duration is
        // recorded as it ends, so a later scrape (itself a request) is asked until it shows them.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!text.Contains("http_server_request_duration_seconds_bucket") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            text = await client.GetStringAsync("/metrics");
        }
        Assert.Contains("http_server_request_duration_seconds_bucket", text);
        // Each job's wait in its queue, recorded when it started: the sweep's trial jobs in the cpu queue at least.
        Assert.True(Sum(after, "hpsearch_queue_wait_seconds_count", "queue=\"cpu\"", "job=\"TrialJob\"") >= trials.Count, text);
    }

    [Fact]
    public async Task Metrics_GaugeOpenTrialsByPoolAndStatus()
    {
        // An external experiment's trials wait, queued, for clients to ask for them: exactly its parallelism of them.
        await using var api = await ApiFactory.StartAsync(slots: 1);
        var client = api.CreateAuthorizedClient();
        await Polling.SubmitAsync(client, """
            { "name": "gauges", "trainer": "external", "searchSpace": { "lr": { "type": "uniform", "low": 0, "high": 1 } },
              "strategy": { "kind": "random", "seed": 1 }, "budget": { "maxTrials": 9, "maxEpochs": 3, "parallelism": 3 } }
            """);
        var text = "";
        for (var i = 0; i < 100 && Sum(Parse(text), "hpsearch_trials_open", "pool=\"cpu\"", "status=\"queued\"") < 3; i++, await Task.Delay(100))
            text = await client.GetStringAsync("/metrics");
        // Other tests' hosts in this process report their gauges too: this host's three are part of the sum.
        Assert.True(Sum(Parse(text), "hpsearch_trials_open", "pool=\"cpu\"", "status=\"queued\"") >= 3, text);
        Assert.Contains("hpsearch_queue_depth", text);
    }

    /// <summary>The lines of the Prometheus text format as (name, labels as written, value).</summary>
    private static List<(string Name, string Labels, double Value)> Parse(string text) =>
        text.Split('\n').Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => Regex.Match(l, @"^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{([^}]*)\})? (\S+)"))
            .Where(m => m.Success && double.TryParse(m.Groups[3].Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value,
                double.Parse(m.Groups[3].Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

    /// <summary>The sum of the series of <paramref name="name"/> carrying every one of <paramref name="labels"/>.</summary>
    private static double Sum(List<(string Name, string Labels, double Value)> series, string name, params string[] labels) =>
        series.Where(s => s.Name == name && labels.All(l => s.Labels.Split(',').Contains(l))).Sum(s => s.Value);
}
