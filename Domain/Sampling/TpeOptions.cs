namespace HpSearch.Domain.Sampling;

/// <summary>Settings of the <see cref="TpeSampler"/> (<c>strategy.tpe</c>); the defaults follow Optuna's TPESampler.</summary>
/// <param name="StartupTrials">Trials drawn at random before the model is used (trials with an outcome are counted).</param>
/// <param name="Candidates">Points drawn from l(x) per suggestion; the one with the largest l(x)/g(x) wins.</param>
/// <param name="Multivariate">One joint estimator over all parameters (Falkner et al. 2018) instead of one per parameter.</param>
/// <param name="ConstantLiar">Queued and running trials count as the worst outcome, so parallel suggestions spread out.</param>
/// <param name="Gamma">Share of the ranked trials that form the good group, at most <see cref="MaxGood"/> trials.</param>
public sealed record TpeOptions(
    int StartupTrials = 10,
    int Candidates = 24,
    bool Multivariate = false,
    bool ConstantLiar = true,
    double Gamma = 0.1)
{
    /// <summary>The good group never holds more than this many trials (Optuna's default gamma caps it at 25).</summary>
    public const int MaxGood = 25;

    public static readonly TpeOptions Default = new();

    /// <summary>How many of <paramref name="n"/> ranked trials form the good group: ⌈γ·n⌉, at least 1, at most 25.</summary>
    public int GoodCount(int n) => Math.Clamp((int)Math.Ceiling(Gamma * n), 1, MaxGood);
}
