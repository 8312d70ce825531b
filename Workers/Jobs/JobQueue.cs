using Hangfire;

namespace HpSearch.Workers.Jobs;

/// <summary>Puts controller, trial and evaluation jobs into Hangfire's queues. A pool is a queue: only nodes serving the
/// pool fetch its trials (the queue is stored with the job, so Hangfire's retries go back to it); controllers, evaluations and schedule firings go to <see cref="ControlQueue"/>, served by every node.</summary>
public sealed class JobQueue(IBackgroundJobClient client)
{
    /// <summary>The queue every node serves, with <see cref="JobOptions.ControlWorkers"/> workers.</summary>
    public const string ControlQueue = "control";

    /// <summary>Runs the experiment's controller soon. Runs are serialised per experiment in the database, so asking twice is harmless.</summary>
    public string TriggerController(Guid experimentId) =>
        client.Enqueue<ControllerJob>(ControlQueue, j => j.RunAsync(experimentId, CancellationToken.None));

    /// <summary>Queues a trial in its pool; returns the Hangfire job id the trial row keeps (reconciliation checks it).</summary>
    public string EnqueueTrial(Guid trialId, string pool) =>
        client.Enqueue<TrialJob>(pool, j => j.RunAsync(trialId, CancellationToken.None));

    /// <summary>Queues the one-time test evaluation of the chosen trial.</summary>
    public string EnqueueEvaluation(Guid trialId) =>
        client.Enqueue<EvaluateJob>(ControlQueue, j => j.RunAsync(trialId, CancellationToken.None));

    /// <summary>Queues one firing of a schedule now (tests and manual runs; the cron firings come from the recurring job).</summary>
    public string EnqueueScheduleFiring(Guid scheduleId) =>
        client.Enqueue<ScheduleJob>(ControlQueue, j => j.RunAsync(scheduleId, null, CancellationToken.None));
}
