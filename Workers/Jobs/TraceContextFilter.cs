using System.Diagnostics;
using Hangfire.Client;
using Hangfire.Server;
using HpSearch.Persistence.Observability;

namespace HpSearch.Workers.Jobs;

/// <summary>
/// Carries a trace across Hangfire: a job created inside a span (the controller's dispatch of a trial) stores that span's W3C
/// id as the job parameter <see cref="Parameter"/>; whoever performs it, on any node and on every retry, runs it inside a
/// <c>job TrialJob</c> span with that parent, so the trial's epoch writes join the dispatch's trace. The same filter records
/// how long the job waited in its queue before its first start (decision 0018).
/// </summary>
public sealed class TraceContextFilter : IClientFilter, IServerFilter
{
    public const string Parameter = "traceparent";
    private const string Item = "hpsearch.span";

    public void OnCreating(CreatingContext context)
    {
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } current) context.SetJobParameter(Parameter, current.Id);
    }

    public void OnCreated(CreatedContext context)
    {
    }

    public void OnPerforming(PerformingContext context)
    {
        var job = context.BackgroundJob.Job;
        if (context.GetJobParameter<int>("RetryCount") == 0)
            ServiceMetrics.QueueWait(DateTime.UtcNow - context.BackgroundJob.CreatedAt, job.Queue ?? "default", job.Type.Name);
        var parent = context.GetJobParameter<string>(Parameter);
        if (parent is null || !ActivityContext.TryParse(parent, null, out var parentContext)) return;
        // Set on this thread before the job method runs: Activity.Current flows into the job and the spans it starts.
        var span = ServiceTracing.Source.StartActivity($"job {job.Type.Name}", ActivityKind.Consumer, parentContext);
        if (span is null) return;
        span.SetTag("hangfire.job.id", context.BackgroundJob.Id);
        if (job.Type == typeof(TrialJob) && job.Args.FirstOrDefault() is Guid trialId) span.SetTag(ServiceTracing.TrialTag, trialId.ToString());
        context.Items[Item] = span;
    }

    public void OnPerformed(PerformedContext context)
    {
        if (context.Items.TryGetValue(Item, out var o) && o is Activity span)
        {
            if (context.Exception is not null) span.SetStatus(ActivityStatusCode.Error, context.Exception.Message);
            span.Stop();
        }
    }
}
