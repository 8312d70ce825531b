using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HpSearch.Domain.Experiments;
using HpSearch.Api.Tests.Cluster;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HpSearch.Api.Tests.Faults;

/// <summary>An API without a pool (in this process) and worker-only nodes in their own processes, all with short job
/// timeouts (5 s invisibility, 300 ms polls, reconciliation every 5 s) so a fault round takes seconds. Every process the
/// cluster started is killed on dispose.</summary>
public sealed class FaultCluster : IAsyncDisposable
{
    private readonly List<WorkerProcess> _workers = [];
    private readonly Dictionary<string, string> _extra;
    private int _nodes;

    private FaultCluster(ApiFactory api, Dictionary<string, string> extra)
    {
        Api = api;
        _extra = extra;
        Client = api.CreateAuthorizedClient();
    }

    public ApiFactory Api { get; }
    public HttpClient Client { get; }

    public static Dictionary<string, string> FastJobs(Dictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Jobs:InvisibilityTimeoutSeconds"] = "5",
            ["Jobs:QueuePollIntervalMilliseconds"] = "300",
            ["Jobs:SchedulePollIntervalMilliseconds"] = "500",
            ["Jobs:ReconcileIntervalSeconds"] = "5",
        };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        return settings;
    }

    public static async Task<FaultCluster> StartAsync(Dictionary<string, string>? extra = null, bool apiTrains = false) =>
        new(await ApiFactory.StartAsync(slots: 1, workers: apiTrains, settings: FastJobs(extra)), extra ?? []);

    /// <summary>Starts a worker-only node with one cpu slot; waits for its first heartbeat. A node that exits first fails
    /// the test with its output, unless <paramref name="mayExitFirst"/>: a node restarted onto a trial that aborts its process
    /// can fetch that trial and die before its first heartbeat lands.</summary>
    public async Task<(WorkerProcess Process, string Node)> StartWorkerAsync(bool mayExitFirst = false)
    {
        var node = $"fault-node-{++_nodes}";
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__HpSearch"] = Api.Database.ConnectionString,
            ["HpSearch__DataDirectory"] = Api.DataDirectory,
            ["Workers__Enabled"] = "true",
            ["Workers__Slots"] = "1",
            ["Workers__NodeName"] = node,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (k, v) in FastJobs(_extra)) env[k.Replace(":", "__")] = v;
        var worker = WorkerProcess.Start(env);
        _workers.Add(worker);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var nodes = await Client.GetFromJsonAsync<JsonElement>("/api/workers");
            if (nodes.EnumerateArray().Any(w => w.GetProperty("node").GetString() == node)) return (worker, node);
            if (worker.HasExited)
            {
                Assert.True(mayExitFirst, $"{node} exited before its first heartbeat; its output:\n{worker.Output}");
                return (worker, node);
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {node}'s first heartbeat; its output:\n{worker.Output}");
            await Task.Delay(200);
        }
    }

    public async Task<string> SubmitAsync(string name, int trials, int epochs, int parallelism = 1, int seed = 1)
    {
        var spec = $$"""
            { "name": "{{name}}", "dataset": "synthetic-blobs",
              "params": { "hidden": [32], "epochs": {{epochs}}, "batchSize": 8 },
              "searchSpace": { "lr": { "type": "logUniform", "low": 0.001, "high": 0.1 } },
              "strategy": { "kind": "random", "seed": {{seed}} },
              "budget": { "maxTrials": {{trials}}, "maxEpochs": {{epochs}}, "parallelism": {{parallelism}} } }
            """;
        var post = await Client.PostAsync("/api/experiments", new StringContent(spec, Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Created, post.StatusCode);
        return (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>A trial of the experiment running on <paramref name="node"/> with at least <paramref name="epochs"/> epochs stored.</summary>
    public async Task<Persistence.Model.Trial> RunningOnAsync(string experimentId, string node, int epochs = 3)
    {
        var id = Guid.Parse(experimentId);
        Persistence.Model.Trial? found = null;
        await Polling.UntilAsync(async () =>
        {
            await using var db = Db();
            found = await db.Trials.AsNoTracking().FirstOrDefaultAsync(t => t.ExperimentId == id && t.Status == TrialStatus.Running
                && t.Worker != null && t.Worker.StartsWith(node + "/") && t.EpochCount >= epochs);
            return found is null ? null : default(JsonElement);
        }, TimeSpan.FromSeconds(90), $"a trial running on {node}");
        return found!;
    }

    public HpSearchDb Db() => Api.Services.GetRequiredService<IDbContextFactory<HpSearchDb>>().CreateDbContext();

    /// <summary>Every trial ended exactly once with rows 1..epochCount, one per epoch, all of the final attempt.</summary>
    public async Task AssertCleanAsync(string experimentId)
    {
        var id = Guid.Parse(experimentId);
        await using var db = Db();
        var trials = await db.Trials.AsNoTracking().Where(t => t.ExperimentId == id).ToListAsync();
        Assert.NotEmpty(trials);
        foreach (var t in trials)
        {
            Assert.True(t.Status is TrialStatus.Completed or TrialStatus.Pruned, $"trial {t.Number} ended {t.Status}: {t.Error}");
            var rows = await db.TrialEpochs.AsNoTracking().Where(e => e.TrialId == t.Id).OrderBy(e => e.Epoch).ToListAsync();
            Assert.Equal(Enumerable.Range(1, t.EpochCount), rows.Select(r => r.Epoch));
            Assert.All(rows, r => Assert.Equal(t.Attempt, r.Attempt));
        }
    }

    public string Outputs() => string.Join("\n---\n", _workers.Select(w => w.Output.Length > 4000 ? w.Output[^4000..] : w.Output));

    public async ValueTask DisposeAsync()
    {
        foreach (var w in _workers) w.Dispose();
        Client.Dispose();
        await Api.DisposeAsync();
    }
}
