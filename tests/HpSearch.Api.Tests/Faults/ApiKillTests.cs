using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using HpSearch.Api.Tests.Cluster;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Testing;

namespace HpSearch.Api.Tests.Faults;

/// <summary>The API process with its embedded pool is killed (kill -9) in the middle of a sweep and started again: the
/// sweep completes, its interrupted trials re-run, no epoch is lost or doubled.</summary>
[Collection(FaultCollection.Name)]
public sealed class ApiKillTests
{
    [Fact]
    public async Task KilledApi_WithItsPool_FinishesTheSweepAfterARestart()
    {
        await using var database = await TestDatabase.CreateAsync("apikill");
        var port = FreePort();
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__HpSearch"] = database.ConnectionString,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["HpSearch__ApiKey"] = ApiFactory.ApiKey,
            ["HpSearch__DataDirectory"] = Path.Combine(Path.GetTempPath(), "hpsearch-tests", "data"),
            ["Workers__Slots"] = "2",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (k, v) in FaultCluster.FastJobs()) env[k.Replace(":", "__")] = v;
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.ApiKey);

        var api = await StartAsync(env, client);
        try
        {
            var spec = """
                { "name": "api-kill", "dataset": "synthetic-blobs",
                  "params": { "hidden": [32], "epochs": 200, "batchSize": 8 },
                  "searchSpace": { "lr": { "type": "logUniform", "low": 0.001, "high": 0.1 } },
                  "strategy": { "kind": "random", "seed": 21 },
                  "budget": { "maxTrials": 4, "maxEpochs": 200, "parallelism": 2 } }
                """;
            var post = await client.PostAsync("/api/experiments", new StringContent(spec, Encoding.UTF8, "application/json"));
            var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            for (var round = 0; round < 2; round++)
            {
                await Polling.UntilAsync(async () =>
                {
                    var items = (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials")).GetProperty("items");
                    return items.EnumerateArray().Any(t => t.GetProperty("status").GetString() == "running" && t.GetProperty("epochCount").GetInt32() >= 3)
                        ? items : null;
                }, TimeSpan.FromSeconds(120), () => $"a trial running (round {round}); output:\n{api.Output}");
                await api.KillAsync();
                api.Dispose();
                api = await StartAsync(env, client);
            }

            var done = await Polling.UntilFinishedAsync(client, id, TimeSpan.FromMinutes(4));
            Assert.True(done.GetProperty("status").GetString() == "completed", $"{done}\n{api.Output}");
            var trials = (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials")).GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(4, trials.Count);
            Assert.Contains(trials, t => t.GetProperty("attempt").GetInt32() >= 2);
            foreach (var t in trials)
            {
                Assert.Equal("completed", t.GetProperty("status").GetString());
                var one = await client.GetFromJsonAsync<JsonElement>($"/api/trials/{t.GetProperty("id").GetString()}");
                var epochs = one.GetProperty("metrics").EnumerateArray().Select(m => m.GetProperty("epoch").GetInt32()).ToList();
                Assert.Equal(Enumerable.Range(1, one.GetProperty("epochCount").GetInt32()), epochs);
            }
        }
        finally
        {
            await api.StopAsync();
            api.Dispose();
        }
    }

    private static async Task<WorkerProcess> StartAsync(Dictionary<string, string> env, HttpClient client)
    {
        var api = WorkerProcess.Start(env, "HpSearch.Api.dll");
        await Polling.UntilAsync(async () =>
        {
            try
            {
                var r = await client.GetAsync("/health/ready");
                return r.IsSuccessStatusCode ? default(JsonElement) : null;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }, TimeSpan.FromSeconds(90), () => $"the API to be ready; its output:\n{api.Output}");
        return api;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
