using HpSearch.Domain.Experiments;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HpSearch.Api.Tests.Faults;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Persistence;
using HpSearch.Workers.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HpSearch.Api.Tests.AskTell;

/// <summary>Ask/tell through the real service on a real port, with Python clients (Debian's python3, the hpsearch_client
/// package): many clients on one experiment, a client that dies mid-trial, its lease running out, the trial offered again
/// as attempt 2, and the dead client's late report refused by the same attempt fencing as a worker's.</summary>
public sealed class AskTellEndToEndTests
{
    private const int LeaseSeconds = 3;

    private static Dictionary<string, string> Settings() => FaultCluster.FastJobs(new Dictionary<string, string>
    {
        ["AskTell:LeaseSeconds"] = LeaseSeconds.ToString(),
    });

    private static string Spec(string name, int trials, int epochs, int parallelism, string earlyStopping = """{ "kind": "none" }""",
        string trainer = "external") => $$"""
        { "name": "{{name}}", "trainer": "{{trainer}}",
          "searchSpace": { "lr": { "type": "logUniform", "low": 1e-4, "high": 1 }, "speed": { "type": "uniform", "low": 0.2, "high": 2 } },
          "objective": { "metric": "valAccuracy", "direction": "maximize" },
          "strategy": { "kind": "random", "seed": 5 },
          "budget": { "maxTrials": {{trials}}, "maxEpochs": {{epochs}}, "parallelism": {{parallelism}} },
          "earlyStopping": {{earlyStopping}} }
        """;

    internal static async Task<string> SubmitAsync(HttpClient client, string spec)
    {
        var post = await client.PostAsync("/api/experiments", new StringContent(spec, Encoding.UTF8, "application/json"));
        Assert.True(post.IsSuccessStatusCode, await post.Content.ReadAsStringAsync());
        return (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task TwoPythonClients_FinishTheSweep_WhileAKilledClientsTrialIsOfferedAgainAsAttempt2_AndItsLateReportIsRefused()
    {
        await using var api = await ApiFactory.StartOnPortAsync(workers: false, settings: Settings());
        var http = api.CreateAuthorizedClient();
        var id = await SubmitAsync(http, Spec("asktell-two-clients", trials: 5, epochs: 3, parallelism: 2));

        using var doomed = PythonClient.Start("hold", api.BaseUrl, ApiFactory.ApiKey, id, "client-a");
        using var survivor = PythonClient.Start("optimize", api.BaseUrl, ApiFactory.ApiKey, id, "client-b", "0.2");
        var leased = await doomed.EventAsync("leased", TimeSpan.FromSeconds(30));
        doomed.Kill();
        var trialId = leased.GetProperty("trialId").GetString()!;
        Assert.Equal(1, leased.GetProperty("attempt").GetInt32());

        Assert.Equal(0, await survivor.ExitAsync(TimeSpan.FromSeconds(45)));
        var done = await survivor.EventAsync("done", TimeSpan.FromSeconds(1));
        Assert.Equal(5, done.GetProperty("told").GetArrayLength());
        // The dead client's trial came back to the survivor as attempt 2.
        Assert.Contains(survivor.Events, e => e.GetProperty("event").GetString() == "asked"
            && e.GetProperty("trialId").GetString() == trialId && e.GetProperty("attempt").GetInt32() == 2);

        using var late = PythonClient.Start("late", api.BaseUrl, ApiFactory.ApiKey, trialId, "1", "2");
        var refused = await late.EventAsync("refused", TimeSpan.FromSeconds(20));
        Assert.Equal(409, refused.GetProperty("status").GetInt32());
        Assert.Equal("attempt", refused.GetProperty("field").GetString());
        Assert.Contains("superseded by attempt 2", refused.GetProperty("message").GetString());

        var experiment = await Polling.UntilFinishedAsync(http, id, TimeSpan.FromSeconds(30));
        Assert.Equal("completed", experiment.GetProperty("status").GetString());
        await using var db = api.Services.GetRequiredService<IDbContextFactory<HpSearchDb>>().CreateDbContext();
        var trials = await db.Trials.AsNoTracking().Where(t => t.ExperimentId == Guid.Parse(id)).OrderBy(t => t.Number).ToListAsync();
        Assert.Equal(5, trials.Count);
        Assert.All(trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
        Assert.All(trials, t => Assert.Equal("client:client-b", t.Worker));
        var reoffered = trials.Single(t => t.Id == Guid.Parse(trialId));
        Assert.Equal(2, reoffered.Attempt);
        Assert.Equal(1, reoffered.WorkerDeaths);
        // The late report changed nothing: three epochs, every row written by attempt 2.
        var rows = await db.TrialEpochs.AsNoTracking().Where(e => e.TrialId == reoffered.Id).OrderBy(e => e.Epoch).ToListAsync();
        Assert.Equal([1, 2, 3], rows.Select(r => r.Epoch));
        Assert.All(rows, r => Assert.Equal(2, r.Attempt));
    }

    [Fact]
    public async Task LeaseThatRanOut_IsQueuedAgainByReconciliation_WithNoClientAsking()
    {
        // The recurring reconciliation is kept out of the way (half-hourly): this test runs it by hand.
        await using var api = await ApiFactory.StartAsync(workers: false, settings: new Dictionary<string, string>
        {
            ["AskTell:LeaseSeconds"] = "1", ["Jobs:ReconcileIntervalSeconds"] = "1800",
        });
        var http = api.CreateAuthorizedClient();
        var id = await SubmitAsync(http, Spec("asktell-reconcile", trials: 1, epochs: 3, parallelism: 1));
        var lease = await AskUntilLeasedAsync(http, id);
        var trialId = lease.GetProperty("trialId").GetString()!;

        await Task.Delay(TimeSpan.FromSeconds(2));
        using (var scope = api.Services.CreateScope())
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<Reconciler>().RunAsync(CancellationToken.None));

        var trial = await http.GetFromJsonAsync<JsonElement>($"/api/trials/{trialId}");
        Assert.Equal("queued", trial.GetProperty("status").GetString());
        Assert.Equal(1, trial.GetProperty("attempt").GetInt32());
        var again = await AskUntilLeasedAsync(http, id);
        Assert.Equal(trialId, again.GetProperty("trialId").GetString());
        Assert.Equal(2, again.GetProperty("attempt").GetInt32());
    }

    /// <summary>Asks until the controller has queued a trial; returns the lease.</summary>
    internal static async Task<JsonElement> AskUntilLeasedAsync(HttpClient http, string experimentId, string body = """{ "clientHost": "test" }""")
    {
        JsonElement lease = default;
        await Polling.UntilAsync(async () =>
        {
            var answer = await http.PostAsync($"/api/experiments/{experimentId}/ask", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
            var json = await answer.Content.ReadFromJsonAsync<JsonElement>();
            if (json.GetProperty("trial").ValueKind != JsonValueKind.Object) return null;
            lease = json.GetProperty("trial");
            return json;
        }, TimeSpan.FromSeconds(30), "a trial to ask for");
        return lease;
    }
}
