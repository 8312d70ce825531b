using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;

namespace HpSearch.Api.Tests.Nodes;

/// <summary>A trial runs only in its experiment's pool: two nodes of one deployment on one database, one serving cpu, one gpu.</summary>
public sealed class PoolTests
{
    private const string GpuSpec = """
        {
          "name": "on-gpu",
          "trainer": "builtin",
          "dataset": "synthetic-blobs",
          "pool": "gpu",
          "params": { "model": "mlp", "hidden": [8], "epochs": 1, "batchSize": 32 },
          "searchSpace": { "lr": { "type": "logUniform", "low": 1e-3, "high": 1e-1 } },
          "budget": { "maxTrials": 1, "parallelism": 1 }
        }
        """;

    [Fact]
    public async Task GpuTrial_WaitsOnACpuOnlyNode_AndRunsWhenAGpuNodeJoins()
    {
        await using var cpuNode = await ApiFactory.StartAsync(slots: 1);
        var client = cpuNode.CreateAuthorizedClient();
        var post = await client.PostAsync("/api/experiments", new StringContent(GpuSpec, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        // The controller queues the trial (every node runs controllers), but no cpu slot takes it.
        await Polling.UntilAsync(async () =>
        {
            var t = (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials")).GetProperty("items");
            return t.GetArrayLength() == 1 ? t : null;
        }, TimeSpan.FromSeconds(20), "the trial to be queued");
        await Task.Delay(4000);
        var waiting = (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials")).GetProperty("items")[0];
        Assert.Equal("queued", waiting.GetProperty("status").GetString());

        await using var gpuNode = cpuNode.StartPeer(settings: new Dictionary<string, string>
        {
            ["Workers:Pools:0:Name"] = "gpu",
            ["Workers:Pools:0:Slots"] = "1",
        });
        var done = await Polling.UntilFinishedAsync(client, id, TimeSpan.FromSeconds(60));
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var trial = (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials")).GetProperty("items")[0];
        Assert.Contains("/gpu/0", trial.GetProperty("worker").GetString());

        var nodes = await Polling.UntilAsync(async () =>
        {
            var w = await client.GetFromJsonAsync<JsonElement>("/api/workers");
            return w.GetArrayLength() == 2 ? w : null;
        }, TimeSpan.FromSeconds(10), "both nodes on the workers page");
        var pools = nodes.EnumerateArray().SelectMany(n => n.GetProperty("pools").EnumerateArray().Select(p => p.GetProperty("name").GetString())).Order().ToList();
        Assert.Equal(["cpu", "gpu"], pools);
    }

    [Fact]
    public async Task CommandTrainerForTheGpuPool_IsTheDefaultPool_AndNoOtherPoolIsAccepted()
    {
        var dir = Directory.CreateTempSubdirectory("hpsearch-pool-").FullName;
        await using var api = await ApiFactory.StartAsync(workers: false, settings: FakeCommandTrainer.Settings(dir, 0, pool: "gpu"));
        var client = api.CreateAuthorizedClient();
        const string spec = """
            { "name": "gpu-default", "trainer": "fake", "dataset": "synthetic-blobs",
              "searchSpace": { "lr": { "type": "logUniform", "low": 1e-3, "high": 1e-1 } }, "budget": { "maxTrials": 1 } }
            """;

        var post = await client.PostAsync("/api/experiments", new StringContent(spec, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        Assert.Equal("gpu", (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("pool").GetString());

        var onCpu = spec.Replace("\"trainer\": \"fake\"", "\"trainer\": \"fake\", \"pool\": \"cpu\"");
        var bad = await client.PostAsync("/api/experiments", new StringContent(onCpu, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("pool", out _));
        Directory.Delete(dir, recursive: true);
    }
}
