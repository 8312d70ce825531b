using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Persistence.Observability;

namespace HpSearch.Api.Tests.Operations;

/// <summary>The "HpSearch" spans follow each trial from its dispatch by the controller, through its Hangfire job, to each epoch
/// write, in one trace per trial (the job parameter carries the context), recorded by an in-process listener.</summary>
public sealed class TracingTests
{
    private const string Spec = """
        {
          "name": "traces", "trainer": "builtin", "dataset": "synthetic-blobs",
          "params": { "model": "mlp", "hidden": [8], "epochs": 3, "batchSize": 32 },
          "searchSpace": { "lr": { "type": "logUniform", "low": 1e-3, "high": 1e-1 } },
          "strategy": { "kind": "random", "seed": 5 },
          "budget": { "maxTrials": 3, "parallelism": 2 }
        }
        """;

    [Fact]
    public async Task ATrialsSpans_FromDispatchThroughItsJobToEachEpochWrite_ShareOneTraceOfTheirOwn()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ServiceTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        await using var api = await ApiFactory.StartAsync(slots: 2);
        var client = api.CreateAuthorizedClient();
        var id = await Polling.SubmitAsync(client, Spec);
        await Polling.UntilFinishedAsync(client, id, TimeSpan.FromMinutes(3));
        var trials = (await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials")).GetProperty("items").EnumerateArray()
            .Select(t => (Id: t.GetProperty("id").GetString()!, Epochs: t.GetProperty("epochCount").GetInt32())).ToList();
        Assert.Equal(3, trials.Count);

        var traces = new List<ActivityTraceId>();
        foreach (var (trialId, epochs) in trials)
        {
            List<Activity> mine = [];
            // The job's span ends when Hangfire's performer returns, just after the trial's outcome (and the experiment's) is stored.
            for (var i = 0; i < 100 && !mine.Any(s => s.OperationName == "job TrialJob"); i++, await Task.Delay(100))
                mine = spans.Where(s => s.GetTagItem(ServiceTracing.TrialTag) as string == trialId).ToList();
            var dispatch = Assert.Single(mine, s => s.OperationName == "trial.dispatch");
            var job = Assert.Single(mine, s => s.OperationName == "job TrialJob");
            var writes = mine.Where(s => s.OperationName == "trial.epoch").ToList();
            Assert.Equal(epochs, writes.Count);
            Assert.True(epochs > 0);
            Assert.Single(mine.Select(s => s.TraceId).Distinct());
            Assert.Equal(default, dispatch.ParentSpanId); // a root: one trace per trial
            Assert.Equal(dispatch.SpanId, job.ParentSpanId);
            Assert.All(writes, w => Assert.Equal(job.SpanId, w.ParentSpanId));
            traces.Add(dispatch.TraceId);
        }
        Assert.Equal(3, traces.Distinct().Count());
    }
}
