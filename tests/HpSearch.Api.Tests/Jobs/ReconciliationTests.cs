using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence;
using HpSearch.Persistence.Experiments;
using HpSearch.Workers.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HpSearch.Api.Tests.Jobs;

/// <summary>State no job would advance is found by the reconciliation job and moved on: a stored experiment whose
/// controller was never queued (a crash between the two), a running trial whose job is gone.</summary>
public sealed class ReconciliationTests
{
    private const string Spec = """
        { "name": "stranded", "dataset": "synthetic-blobs",
          "params": { "hidden": [16], "epochs": 3 },
          "searchSpace": { "lr": { "type": "logUniform", "low": 0.01, "high": 0.1 } },
          "budget": { "maxTrials": 2, "parallelism": 1 } }
        """;

    [Fact]
    public async Task StrandedExperimentAndTrial_AreMovedOn_ByReconciliation()
    {
        await using var api = await ApiFactory.StartAsync(slots: 1, settings: new Dictionary<string, string>
        {
            ["Jobs:ReconcileIntervalSeconds"] = "2",
        });
        var client = api.CreateAuthorizedClient();
        var dbFactory = api.Services.GetRequiredService<IDbContextFactory<HpSearchDb>>();

        // Stored as POST stores it, but the process "died" before queueing the controller.
        Guid id;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            using var doc = JsonDocument.Parse(Spec);
            var spec = ExperimentSpec.Parse(doc.RootElement, api.Services.GetRequiredService<TrainerCatalog>());
            var experiment = ExperimentFactory.Create(spec, Spec, DateTimeOffset.UtcNow.AddMinutes(-1));
            experiment.UpdatedAt = DateTimeOffset.UtcNow.AddMinutes(-1);
            db.Experiments.Add(experiment);
            await db.SaveChangesAsync();
            id = experiment.Id;
        }
        var done = await Polling.UntilFinishedAsync(client, id.ToString(), TimeSpan.FromSeconds(90));
        Assert.Equal("completed", done.GetProperty("status").GetString());

        // A finished trial put back to "running" with a job that does not exist, as a lost job would leave it.
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var trial = await db.Trials.FirstAsync(t => t.ExperimentId == id);
            await db.Experiments.Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, ExperimentStatus.Running).SetProperty(e => e.FinishedAt, (DateTimeOffset?)null));
            await db.Trials.Where(t => t.Id == trial.Id).ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Status, TrialStatus.Running).SetProperty(t => t.JobId, "999999")
                .SetProperty(t => t.UpdatedAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }
        done = await Polling.UntilFinishedAsync(client, id.ToString(), TimeSpan.FromSeconds(90));
        Assert.Equal("completed", done.GetProperty("status").GetString());
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var trials = await db.Trials.AsNoTracking().Where(t => t.ExperimentId == id).ToListAsync();
            Assert.All(trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
            Assert.Contains(trials, t => t.Attempt == 2 && t.WorkerDeaths == 0); // handed back queued: a lost job is no death
        }
    }

    [Fact]
    public async Task JobsDashboard_OpensFromLoopback_ReadOnlyWithoutTheKey()
    {
        await using var api = await ApiFactory.StartAsync(workers: false);
        using var anonymous = api.CreateClient();
        var page = await anonymous.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("HpSearch jobs", html);

        using var keyed = api.CreateAuthorizedClient();
        Assert.Equal(HttpStatusCode.OK, (await keyed.GetAsync("/hangfire/servers")).StatusCode);
    }
}
