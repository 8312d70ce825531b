using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Testing;

namespace HpSearch.Api.Tests.Experiments;

/// <summary>A sweep on an operator-configured command trainer (fake_trainer.py): epochs stream into the database, the
/// median rule prunes the poor configurations, and the pruned programs are ended, not left running.</summary>
public sealed class CommandTrainerEndToEndTests
{
    private const string Spec = """
        {
          "name": "command-sweep",
          "trainer": "fake",
          "dataset": "synthetic-blobs",
          "searchSpace": { "lr": { "type": "categorical", "values": [0.01, 0.00001, 0.000001] } },
          "objective": { "metric": "valAccuracy", "direction": "maximize" },
          "strategy": { "kind": "grid" },
          "budget": { "maxTrials": 3, "parallelism": 1, "maxEpochs": 8 },
          "earlyStopping": { "kind": "median", "startupTrials": 1, "warmupEpochs": 1 }
        }
        """;

    [Fact]
    public async Task Sweep_OnACommandTrainer_PrunesAndKillsThePoorRuns()
    {
        var dir = Directory.CreateTempSubdirectory("hpsearch-e2e-cmd-").FullName;
        await using var api = await ApiFactory.StartAsync(slots: 1, settings: FakeCommandTrainer.Settings(dir, sleepSeconds: 0.2));
        var client = api.CreateAuthorizedClient();

        var post = await client.PostAsync("/api/experiments", new StringContent(Spec, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var experiment = await Polling.UntilFinishedAsync(client, id, TimeSpan.FromMinutes(2));

        Assert.Equal("completed", experiment.GetProperty("status").GetString());
        var trials = (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, trials.Count);
        Assert.Equal("completed", trials[0].GetProperty("status").GetString());
        Assert.Equal(8, trials[0].GetProperty("epochCount").GetInt32());
        Assert.Equal(trials[0].GetProperty("id").GetString(), experiment.GetProperty("bestTrialId").GetString());
        foreach (var pruned in trials.Skip(1))
        {
            Assert.Equal("pruned", pruned.GetProperty("status").GetString());
            Assert.InRange(pruned.GetProperty("epochCount").GetInt32(), 2, 7);
            Assert.Equal("median", pruned.GetProperty("stopReason").GetProperty("rule").GetString());
            var pid = int.Parse(File.ReadAllText(Path.Combine(dir, $"{pruned.GetProperty("id").GetString()}.pid")));
            Assert.False(Processes.IsAlive(pid), $"pruned run {pid} still runs");
        }

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/trials/{trials[0].GetProperty("id").GetString()}");
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], detail.GetProperty("metrics").EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()));
        Directory.Delete(dir, recursive: true);
    }
}
