namespace HpSearch.Domain.Experiments;

/// <summary>How much a sweep may spend.</summary>
/// <param name="MaxEpochs">Epochs per trial.</param>
/// <param name="TimeLimitSeconds">Optional wall-clock limit of the whole experiment.</param>
/// <param name="TargetValue">Optional objective value at which the sweep stops early.</param>
public sealed record Budget(
    int MaxTrials,
    int Parallelism,
    int MaxFailedTrials,
    int MaxEpochs,
    double? TimeLimitSeconds = null,
    double? TargetValue = null);
