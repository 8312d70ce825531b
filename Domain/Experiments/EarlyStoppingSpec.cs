namespace HpSearch.Domain.Experiments;

public enum StoppingKind
{
    None,
    Patience,
    Median,
    Asha,
}

/// <summary>The stopping rule: an across-trial rule (median, ASHA) optionally combined with patience.</summary>
/// <param name="Patience">Epochs without improvement before a trial stops; null = no patience rule
/// (with <see cref="StoppingKind.Patience"/> it defaults to 3).</param>
public sealed record EarlyStoppingSpec(
    StoppingKind Kind,
    int? Patience = null,
    double MinDelta = 0,
    int MinEpochs = 1,
    int ReductionFactor = 3,
    int StartupTrials = 3,
    int WarmupEpochs = 1)
{
    public static readonly EarlyStoppingSpec None = new(StoppingKind.None);
}
