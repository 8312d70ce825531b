namespace HpSearch.Domain.Experiments;

public enum TrialStatus
{
    Queued,
    Running,
    Completed,
    Pruned,
    Diverged,
    Failed,
    Cancelled,
}
