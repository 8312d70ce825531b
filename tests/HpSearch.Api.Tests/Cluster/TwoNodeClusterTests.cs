using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Workers;
using Microsoft.Extensions.DependencyInjection;

namespace HpSearch.Api.Tests.Cluster;

/// <summary>The API's embedded pool and a worker-only node share one PostgreSQL: both take trials of one sweep.</summary>
public sealed class TwoNodeClusterTests
{
    [Fact]
    public async Task ApiAndWorkerNode_BothRunTrials_OfOneExperiment()
    {
        await using var api = await ApiFactory.StartAsync(slots: 1);
        var apiNode = api.Services.GetRequiredService<WorkerOptions>().EffectiveNodeName();

        // A second process, as `dotnet run --project Workers` would start it (its own process,
        // as on another machine).
        using var worker = WorkerProcess.Start(new Dictionary<string, string>
        {
            ["ConnectionStrings__HpSearch"] = api.Database.ConnectionString,
            ["HpSearch__DataDirectory"] = api.DataDirectory,
            ["Workers__Enabled"] = "true",
            ["Workers__Slots"] = "1",
            ["Workers__NodeName"] = "worker-node-2",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        try
        {
            var client = api.CreateAuthorizedClient();
            await Polling.UntilAsync(async () =>
            {
                var nodes = await client.GetFromJsonAsync<JsonElement>("/api/workers");
                return nodes.EnumerateArray().Any(w => w.GetProperty("node").GetString() == "worker-node-2") ? nodes : null;
            }, TimeSpan.FromSeconds(90), () => $"the worker node's first heartbeat; its output:\n{worker.Output}");
            // Trials of a few seconds each (200 epochs, each one stored): long enough that the API node's one slot is still
            // busy when the worker node next polls its queue (1 s), however fast the engine trains.
            var spec = """
                { "name": "two-nodes", "dataset": "synthetic-blobs",
                  "params": { "hidden": [32], "epochs": 200, "batchSize": 8 },
                  "searchSpace": { "lr": { "type": "logUniform", "low": 0.001, "high": 0.1 } },
                  "strategy": { "kind": "random", "seed": 3 },
                  "budget": { "maxTrials": 4, "maxEpochs": 200, "parallelism": 2 } }
                """;
            var post = await client.PostAsync("/api/experiments", new StringContent(spec, System.Text.Encoding.UTF8, "application/json"));
            var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            var done = await Polling.UntilFinishedAsync(client, id, TimeSpan.FromMinutes(3));
            Assert.Equal("completed", done.GetProperty("status").GetString());

            var trials = (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials")).GetProperty("items").EnumerateArray().ToList();
            var nodes = trials.Select(t => t.GetProperty("worker").GetString()!.Split('/')[0]).Distinct().ToList();
            Assert.Contains(apiNode, nodes);
            Assert.True(nodes.Contains("worker-node-2"), $"the worker node ran no trial; its output:\n{worker.Output}");

        }
        finally
        {
            await worker.StopAsync();
        }
    }
}
