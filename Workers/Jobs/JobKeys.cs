using Quartz;

namespace HpSearch.Workers.Jobs;

/// <summary>Job identities: one controller job per experiment, one trial job per trial, one cron job per schedule.</summary>
public static class JobKeys
{
    /// <summary>Execution group of controller and housekeeping jobs; every node serves it.</summary>
    public const string ControlGroup = "control";

    public static JobKey Controller(Guid experimentId) => new($"experiment-{experimentId:N}", "controllers");
    public static JobKey Trial(Guid trialId) => new($"trial-{trialId:N}", "trials");
    public static JobKey Schedule(Guid scheduleId) => new($"schedule-{scheduleId:N}", "schedules");
    public static TriggerKey ScheduleTrigger(Guid scheduleId) => new($"schedule-{scheduleId:N}", "schedules");
    public static JobKey Evaluate(Guid trialId) => new($"evaluate-{trialId:N}", "evaluations");
}
