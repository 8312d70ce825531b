using System.Diagnostics.Metrics;
using HpSearch.Domain.Experiments;

namespace HpSearch.Persistence.Observability;

/// <summary>
/// The service's own metrics (meter <see cref="MeterName"/>), recorded where the events are stored so that every path —
/// a worker's trial job, an ask/tell client — counts once: epochs written, stopping decisions by rule, trials finished by
/// status. A host exports them with OpenTelemetry (the API: Prometheus at /metrics).
/// </summary>
public static class ServiceMetrics
{
    public const string MeterName = "HpSearch";

    private static readonly Meter Meter = new(MeterName, "1.0");

    private static readonly Counter<long> Epochs = Meter.CreateCounter<long>("hpsearch.epochs", "{epoch}",
        "Epochs stored (an epoch of a superseded attempt is not).");

    private static readonly Counter<long> StopDecisions = Meter.CreateCounter<long>("hpsearch.stopping.decisions", "{decision}",
        "Trials a stopping rule ended, by rule and whether it pruned.");

    private static readonly Counter<long> TrialsFinished = Meter.CreateCounter<long>("hpsearch.trials.finished", "{trial}",
        "Trials whose run (a worker's or a client's) reached an outcome, by status; queued trials cancelled with their experiment are not counted.");

    private static readonly Histogram<double> QueueWaits = Meter.CreateHistogram<double>("hpsearch.queue.wait", "s",
        "Time a job waited in its Hangfire queue, from creation to its first start, by queue and job.");

    public static void EpochStored() => Epochs.Add(1);

    public static void QueueWait(TimeSpan waited, string queue, string job) =>
        QueueWaits.Record(Math.Max(0, waited.TotalSeconds), new KeyValuePair<string, object?>("queue", queue), new KeyValuePair<string, object?>("job", job));

    public static void Stopped(string rule, bool pruned) =>
        StopDecisions.Add(1, new KeyValuePair<string, object?>("rule", rule), new KeyValuePair<string, object?>("pruned", pruned));

    public static void TrialFinished(TrialStatus status) =>
        TrialsFinished.Add(1, new KeyValuePair<string, object?>("status", status.ToWire()));
}
