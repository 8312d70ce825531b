using System.Diagnostics;

namespace HpSearch.Persistence.Observability;

/// <summary>
/// The service's spans (ActivitySource <see cref="SourceName"/>), following a trial from its dispatch by the controller through
/// its Hangfire job to each epoch write. The job carries the dispatch's W3C trace context as a Hangfire job parameter, so the
/// run (on any node, retries included) joins the dispatch's trace (decision 0018). A host exports them with OpenTelemetry.
/// </summary>
public static class ServiceTracing
{
    public const string SourceName = "HpSearch";

    public static readonly ActivitySource Source = new(SourceName, "1.0");

    /// <summary>Tag names shared by the spans and their tests.</summary>
    public const string TrialTag = "hpsearch.trial.id";
    public const string ExperimentTag = "hpsearch.experiment.id";
    public const string EpochTag = "hpsearch.epoch";
}
