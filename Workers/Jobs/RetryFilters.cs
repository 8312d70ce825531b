using Hangfire;
using Hangfire.Common;

namespace HpSearch.Workers.Jobs;

/// <summary>
/// The job filters of this node's Hangfire servers: Hangfire's own, with its global retry rule (10 attempts, delays up to
/// hours) replaced by <see cref="JobOptions.TransientRetries"/> attempts, 1 s doubling to at most 60 s apart, then Failed. A
/// job's retries are for faults outside the training (a lost connection, a database restart); a training exception never
/// reaches Hangfire. A job type that says otherwise (<see cref="Reconciler"/>: never retried) keeps its own rule.
/// With them, <see cref="TraceContextFilter"/> (a trial's trace across the queue). Registered in the host's services, not in
/// Hangfire's static filter list, so two hosts in one process keep their settings.
/// </summary>
public sealed class RetryFilters(JobOptions options) : IJobFilterProvider
{
    private readonly AutomaticRetryAttribute _retry = new()
    {
        Attempts = options.TransientRetries,
        DelaysInSeconds = Delays(options.TransientRetries),
        OnAttemptsExceeded = AttemptsExceededAction.Fail,
    };

    private readonly TraceContextFilter _trace = new();

    public IEnumerable<JobFilter> GetFilters(Job job)
    {
        yield return new JobFilter(_trace, JobFilterScope.Global, null);
        var filters = JobFilterProviders.Providers.GetFilters(job).ToList();
        var own = filters.Any(f => f.Instance is AutomaticRetryAttribute && f.Scope != JobFilterScope.Global);
        foreach (var f in filters)
            if (!(f.Instance is AutomaticRetryAttribute && f.Scope == JobFilterScope.Global)) yield return f;
        if (!own) yield return new JobFilter(_retry, JobFilterScope.Global, null);
    }

    /// <summary>1, 2, 4, … seconds, at most 60: a database restart or failover is over within the first few.</summary>
    public static int[] Delays(int attempts) => Enumerable.Range(0, Math.Max(attempts, 1)).Select(i => (int)Math.Min(60, 1L << Math.Min(i, 10))).ToArray();
}
