namespace HpSearch.Domain.Strategies;

public enum StageStatus
{
    Pending,
    Running,
    Passed,
    Failed,
    Skipped,
}

/// <summary>The outcome of one stage of a staged strategy (the six-step recipe), as stored and shown.</summary>
public sealed record StageResult(
    int Number,
    string Name,
    StageStatus Status,
    string Summary,
    string? Diagnosis = null,
    IReadOnlyDictionary<string, double>? Values = null);
