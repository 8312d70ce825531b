namespace HpSearch.Domain.Experiments;

public enum ExperimentStatus
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}
