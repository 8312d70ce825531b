using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Domain.Experiments;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Persistence;
using HpSearch.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HpSearch.Api.Tests.Faults;

/// <summary>A PostgreSQL restart in the middle of a sweep is not a training failure: on a private cluster of its own (the
/// shared test cluster is never restarted), `pg_ctl restart -m fast` twice while trials run and write.</summary>
[Collection(FaultCollection.Name)]
public sealed class DatabaseRestartTests
{
    [Fact]
    public async Task SweepCompletes_WithNoFailedTrial_WhenPostgresRestartsTwiceDuringIt()
    {
        await using var pg = await PrivateCluster.StartAsync();
        var database = await TestDatabase.CreateAsync("restart", pg.ConnectionString());
        await using var api = new ApiFactory(database, slots: 2, workers: true, settings: FaultCluster.FastJobs());
        _ = api.Server;
        var client = api.CreateAuthorizedClient();
        var spec = """
            { "name": "restart", "dataset": "synthetic-blobs",
              "params": { "hidden": [32], "epochs": 150, "batchSize": 8 },
              "searchSpace": { "lr": { "type": "logUniform", "low": 0.001, "high": 0.1 } },
              "strategy": { "kind": "random", "seed": 11 },
              "budget": { "maxTrials": 6, "maxEpochs": 150, "parallelism": 2 } }
            """;
        var post = await client.PostAsync("/api/experiments", new StringContent(spec, System.Text.Encoding.UTF8, "application/json"));
        var id = Guid.Parse((await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        var dbFactory = api.Services.GetRequiredService<IDbContextFactory<HpSearchDb>>();

        async Task WaitForAsync(Func<HpSearchDb, Task<bool>> condition, string what) =>
            await Polling.UntilAsync(async () =>
            {
                await using var db = await dbFactory.CreateDbContextAsync();
                return await condition(db) ? default(JsonElement) : null;
            }, TimeSpan.FromSeconds(90), what);

        // Round 1: while the first trials write their epochs. Round 2: after some trial finished, with the next ones running.
        await WaitForAsync(db => db.Trials.AnyAsync(t => t.ExperimentId == id && t.Status == TrialStatus.Running && t.EpochCount >= 3), "epochs being written");
        await pg.RestartAsync();
        await WaitForAsync(async db => await db.Trials.AnyAsync(t => t.ExperimentId == id && t.Status == TrialStatus.Completed)
            && await db.Trials.AnyAsync(t => t.ExperimentId == id && t.Status == TrialStatus.Running && t.EpochCount >= 3), "a finished trial and a running one");
        await pg.RestartAsync();

        var done = await Polling.UntilFinishedAsync(client, id.ToString(), TimeSpan.FromMinutes(4));
        Assert.Equal("completed", done.GetProperty("status").GetString());
        await using var check = await dbFactory.CreateDbContextAsync();
        var trials = await check.Trials.AsNoTracking().Where(t => t.ExperimentId == id).ToListAsync();
        Assert.Equal(6, trials.Count);
        Assert.All(trials, t => Assert.True(t.Status is TrialStatus.Completed or TrialStatus.Pruned, $"trial {t.Number}: {t.Status} {t.Error}"));
        foreach (var t in trials)
        {
            var epochs = await check.TrialEpochs.AsNoTracking().Where(e => e.TrialId == t.Id).OrderBy(e => e.Epoch).Select(e => e.Epoch).ToListAsync();
            Assert.Equal(Enumerable.Range(1, t.EpochCount), epochs);
        }
    }
}
