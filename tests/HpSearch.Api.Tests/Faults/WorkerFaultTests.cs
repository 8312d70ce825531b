using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Domain.Experiments;
using HpSearch.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Api.Tests.Faults;

/// <summary>Faults of worker-only nodes, caused for real: kill -9, SIGSTOP past the invisibility timeout, a trial that
/// aborts its process every time. Each test repeats its fault over a few rounds.</summary>
[Collection(FaultCollection.Name)]
public sealed class WorkerFaultTests
{
    [Fact]
    public async Task KilledNode_ItsTrialReRunsElsewhere_AsAttempt2_WithNoEpochLostOrDoubled()
    {
        await using var cluster = await FaultCluster.StartAsync();
        var (current, node) = await cluster.StartWorkerAsync();
        for (var round = 0; round < 2; round++)
        {
            var id = await cluster.SubmitAsync($"kill-{round}", trials: 2, epochs: 300, seed: round + 1);
            var victim = await cluster.RunningOnAsync(id, node);
            await current.KillAsync();
            (current, node) = await cluster.StartWorkerAsync();

            var done = await Polling.UntilFinishedAsync(cluster.Client, id, TimeSpan.FromMinutes(3));
            Assert.True(done.GetProperty("status").GetString() == "completed", $"{done}\n{cluster.Outputs()}");
            await cluster.AssertCleanAsync(id);
            await using var db = cluster.Db();
            var rerun = await db.Trials.AsNoTracking().SingleAsync(t => t.Id == victim.Id);
            Assert.Equal(victim.Attempt + 1, rerun.Attempt);
            Assert.Equal(1, rerun.WorkerDeaths);
            Assert.StartsWith(node + "/", rerun.Worker);
            var dto = await cluster.Client.GetFromJsonAsync<JsonElement>($"/api/trials/{victim.Id}");
            Assert.Equal(rerun.Attempt, dto.GetProperty("attempt").GetInt32());
            Assert.Equal(1, dto.GetProperty("workerDeaths").GetInt32());
        }
    }

    [Fact]
    public async Task PausedNode_WakingAfterItsTrialMovedOn_WritesNothing()
    {
        await using var cluster = await FaultCluster.StartAsync();
        var (paused, pausedNode) = await cluster.StartWorkerAsync();
        for (var round = 0; round < 2; round++)
        {
            var id = await cluster.SubmitAsync($"pause-{round}", trials: 1, epochs: 300, seed: round + 5);
            var trial = await cluster.RunningOnAsync(id, pausedNode);
            paused.Signal("STOP");
            var (other, otherNode) = await cluster.StartWorkerAsync();

            // Past the 5 s invisibility timeout the trial re-runs on the other node, and finishes there.
            var done = await Polling.UntilFinishedAsync(cluster.Client, id, TimeSpan.FromMinutes(3));
            Assert.Equal("completed", done.GetProperty("status").GetString());
            paused.Signal("CONT");
            // The woken node trains on, tries to write its next epoch, finds its attempt superseded and stops.
            var woken = paused;
            await Polling.UntilAsync(() => Task.FromResult<JsonElement?>(woken.Output.Contains("was superseded, nothing written") ? default(JsonElement) : null),
                TimeSpan.FromSeconds(60), () => $"the woken node to find its attempt superseded; its output:\n{woken.Output}");

            await cluster.AssertCleanAsync(id);
            await using var db = cluster.Db();
            var final = await db.Trials.AsNoTracking().SingleAsync(t => t.Id == trial.Id);
            Assert.Equal(TrialStatus.Completed, final.Status);
            Assert.Equal(trial.Attempt + 1, final.Attempt);
            Assert.StartsWith(otherNode + "/", final.Worker);
            Assert.Equal(300, final.EpochCount);
            Assert.False(await db.TrialEpochs.AnyAsync(e => e.TrialId == trial.Id && e.Attempt != final.Attempt));
            await paused.KillAsync();
            (paused, pausedNode) = (other, otherNode); // the next round pauses the node that took over
        }
    }

    [Fact]
    public async Task TrialThatAbortsItsProcess_FailsAfterTheConfiguredDeaths_AndTheNodeGoesOn()
    {
        var settings = new Dictionary<string, string>
        {
            ["Jobs:AbortProcessForExperimentName"] = "poison",
            ["Jobs:MaxWorkerDeaths"] = "2",
        };
        await using var cluster = await FaultCluster.StartAsync(settings);
        var (worker, _) = await cluster.StartWorkerAsync();
        var id = await cluster.SubmitAsync("poison", trials: 1, epochs: 5);

        // A supervisor's job (systemd, Kubernetes): restart the node whenever it died.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        var restarts = 0;
        JsonElement poisoned = default;
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the poison trial never failed; outputs:\n{cluster.Outputs()}");
            poisoned = await cluster.Client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}");
            if (poisoned.GetProperty("status").GetString() is "completed" or "failed" or "cancelled") break;
            if (worker.HasExited)
            {
                (worker, _) = await cluster.StartWorkerAsync(mayExitFirst: true);
                restarts++;
            }
            await Task.Delay(300);
        }
        var trials = (await cluster.Client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials")).GetProperty("items");
        var trial = Assert.Single(trials.EnumerateArray());
        Assert.Equal("failed", trial.GetProperty("status").GetString());
        Assert.Equal("its worker died 2 times running it.", trial.GetProperty("error").GetString());
        Assert.Equal(3, trial.GetProperty("attempt").GetInt32());
        Assert.Equal(2, trial.GetProperty("workerDeaths").GetInt32());
        Assert.True(restarts == 2, $"the node was restarted {restarts} times, not 2; outputs:\n{cluster.Outputs()}");

        // The node serves other trials afterwards.
        var next = await cluster.SubmitAsync("healthy", trials: 2, epochs: 5);
        var done = await Polling.UntilFinishedAsync(cluster.Client, next, TimeSpan.FromMinutes(2));
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.False(worker.HasExited);
    }
}
