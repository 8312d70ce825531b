using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Domain.Experiments;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Persistence;
using HpSearch.Workers.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HpSearch.Api.Tests.Jobs;

/// <summary>At-least-once execution: a trial job that runs again (a dead node's recovery) loses and doubles nothing.</summary>
public sealed class TrialJobRecoveryTests
{
    [Fact]
    public async Task TrialJob_RerunAfterACrash_StartsANewAttempt_WithOneRowPerEpoch()
    {
        // No pool on this node: the trial waits in the queue and the test runs it by hand, twice.
        await using var api = await ApiFactory.StartAsync(workers: false);
        var client = api.CreateAuthorizedClient();
        var spec = """
            { "name": "recovery", "dataset": "synthetic-blobs",
              "params": { "hidden": [16], "epochs": 3 },
              "searchSpace": { "lr": { "type": "logUniform", "low": 0.01, "high": 0.1 } },
              "budget": { "maxTrials": 1, "parallelism": 1 } }
            """;
        var post = await client.PostAsync("/api/experiments", new StringContent(spec, System.Text.Encoding.UTF8, "application/json"));
        var id = Guid.Parse((await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);

        var trialId = await Polling.UntilAsync(async () =>
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials");
            return page.GetProperty("items").GetArrayLength() == 1 ? page.GetProperty("items")[0].GetProperty("id") : null;
        }, TimeSpan.FromSeconds(30), "the controller to queue a trial");
        var trial = Guid.Parse(trialId.GetString()!);

        using var scope = api.Services.CreateScope();
        var job = scope.ServiceProvider.GetRequiredService<TrialJob>();
        await job.RunAsync(trial, CancellationToken.None);

        var db = scope.ServiceProvider.GetRequiredService<HpSearchDb>();
        var first = await db.Trials.AsNoTracking().SingleAsync(t => t.Id == trial);
        Assert.Equal(TrialStatus.Completed, first.Status);
        Assert.Equal(1, first.Attempt);
        var firstCurve = await db.TrialEpochs.AsNoTracking().Where(e => e.TrialId == trial).OrderBy(e => e.Epoch).Select(e => e.ValLoss).ToListAsync();

        // The node died mid-trial and Hangfire handed the job to another worker: the row still says running, and so does
        // its experiment. (The control queue finishes the one-trial experiment meanwhile: let it, then put both back.)
        await Polling.UntilFinishedAsync(client, id.ToString(), TimeSpan.FromSeconds(60));
        await db.Experiments.Where(e => e.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, ExperimentStatus.Running).SetProperty(e => e.FinishedAt, (DateTimeOffset?)null));
        await db.Trials.Where(t => t.Id == trial).ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TrialStatus.Running));
        await job.RunAsync(trial, CancellationToken.None);

        var second = await db.Trials.AsNoTracking().SingleAsync(t => t.Id == trial);
        Assert.Equal(TrialStatus.Completed, second.Status);
        Assert.Equal(2, second.Attempt);
        var rows = await db.TrialEpochs.AsNoTracking().Where(e => e.TrialId == trial).OrderBy(e => e.Epoch).ToListAsync();
        Assert.Equal([1, 2, 3], rows.Select(r => r.Epoch));
        Assert.All(rows, r => Assert.Equal(2, r.Attempt));
        Assert.Equal(1, second.WorkerDeaths);
        var shown = await client.GetFromJsonAsync<JsonElement>($"/api/trials/{trial}");
        Assert.Equal((2, 1), (shown.GetProperty("attempt").GetInt32(), shown.GetProperty("workerDeaths").GetInt32()));
        // Seeded: the re-run reproduces the same curve.
        Assert.Equal(firstCurve, rows.Select(r => r.ValLoss).ToList());

        // A finished trial's job running yet again changes nothing.
        await job.RunAsync(trial, CancellationToken.None);
        Assert.Equal(2, (await db.Trials.AsNoTracking().SingleAsync(t => t.Id == trial)).Attempt);
    }
}
