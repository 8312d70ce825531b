namespace HpSearch.Workers.Jobs;

/// <summary>Bound from the "Jobs" section: how the Hangfire job layer polls, detects dead workers and gives up.</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>PostgreSQL schema of Hangfire's tables, in the service's database.</summary>
    public string Schema { get; set; } = "hangfire";

    /// <summary>How long a fetched job stays invisible to other workers without a keep-alive: with the sliding timeout on,
    /// a live worker renews it every fifth of this, so it is the time to notice a dead worker, not a limit on trial length.</summary>
    public int InvisibilityTimeoutSeconds { get; set; } = 60;

    /// <summary>Queue poll interval: the dispatch latency of an idle worker (and how soon an expired fetch is seen).</summary>
    public int QueuePollIntervalMilliseconds { get; set; } = 500;

    /// <summary>Also wake idle workers by LISTEN/NOTIFY. Off by default: it holds one more connection per waiting worker,
    /// and a short poll interval already dispatches within a second.</summary>
    public bool LongPolling { get; set; }

    /// <summary>How often delayed jobs and recurring schedules are looked at (a schedule with seconds needs about 1 s).</summary>
    public int SchedulePollIntervalMilliseconds { get; set; } = 1000;

    /// <summary>Workers of the control queue (controllers, evaluations, schedule firings, reconciliation) per node.</summary>
    public int ControlWorkers { get; set; } = 2;

    /// <summary>Attempts of a trial that started and never finished (the worker died) before the trial is failed.</summary>
    public int MaxWorkerDeaths { get; set; } = 3;

    /// <summary>Hangfire retries of a job that failed outside the training (a lost connection, a database restart), 1 s doubling
    /// to 60 s apart; past them the job is Failed and reconciliation takes the trial or experiment over.</summary>
    public int TransientRetries { get; set; } = 5;

    /// <summary>Interval of the reconciliation job, and how long an open experiment may sit untouched before it is looked at.</summary>
    public int ReconcileIntervalSeconds { get; set; } = 30;

    /// <summary>Tests only: trials of experiments with this name abort their worker process (a native crash, an OOM kill).</summary>
    public string? AbortProcessForExperimentName { get; set; }

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Schema)) yield return "Jobs:Schema must be set.";
        if (InvisibilityTimeoutSeconds < 2) yield return "Jobs:InvisibilityTimeoutSeconds must be at least 2.";
        if (QueuePollIntervalMilliseconds < 100) yield return "Jobs:QueuePollIntervalMilliseconds must be at least 100.";
        if (SchedulePollIntervalMilliseconds < 100) yield return "Jobs:SchedulePollIntervalMilliseconds must be at least 100.";
        if (ControlWorkers < 1) yield return "Jobs:ControlWorkers must be at least 1.";
        if (TransientRetries is < 0 or > 20) yield return "Jobs:TransientRetries must be 0 to 20.";
        if (MaxWorkerDeaths < 1) yield return "Jobs:MaxWorkerDeaths must be at least 1.";
        if (ReconcileIntervalSeconds is < 1 or > 3600) yield return "Jobs:ReconcileIntervalSeconds must be 1 to 3600.";
    }
}
