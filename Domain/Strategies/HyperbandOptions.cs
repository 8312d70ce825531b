namespace HpSearch.Domain.Strategies;

/// <summary>
/// Hyperband's brackets (Li et al., JMLR 2018, https://jmlr.org/papers/v18/16-558.html), run asynchronously as Optuna's
/// HyperbandPruner does: with R = budget.maxEpochs, r = <see cref="MinEpochs"/> and η = <see cref="ReductionFactor"/>,
/// bracket s (0 … s_max = ⌊log_η(R/r)⌋) is successive halving whose first rung is r·η^s epochs, so bracket 0 stops
/// trials most aggressively and bracket s_max hardly at all. Trials go to brackets in the paper's proportions,
/// n_s = ⌈(s_max + 1)/(s_max − s + 1) · η^(s_max − s)⌉, interleaved; each bracket's trials are ranked only among themselves.
/// </summary>
public sealed record HyperbandOptions(int MinEpochs = 1, int ReductionFactor = 3)
{
    public const string StagePrefix = "bracket-";

    public static readonly HyperbandOptions Default = new();

    /// <summary>s_max: the largest s with r·η^s ≤ R.</summary>
    public int MaxBracket(int maxEpochs)
    {
        var s = 0;
        for (long r = (long)MinEpochs * ReductionFactor; r <= maxEpochs; r *= ReductionFactor) s++;
        return s;
    }

    /// <summary>The first rung of bracket <paramref name="s"/>: r·η^s epochs.</summary>
    public int BracketMinEpochs(int s) => (int)Math.Min(int.MaxValue, MinEpochs * Math.Pow(ReductionFactor, s));

    /// <summary>How many trials bracket s gets per Hyperband iteration, for s = 0 … s_max.</summary>
    public IReadOnlyList<int> Sizes(int maxEpochs)
    {
        var sMax = MaxBracket(maxEpochs);
        return Enumerable.Range(0, sMax + 1)
            .Select(s => (int)Math.Ceiling((sMax + 1.0) / (sMax - s + 1) * Math.Pow(ReductionFactor, sMax - s))).ToList();
    }

    /// <summary>The bracket of trial <paramref name="trialNumber"/>: the brackets' sizes interleaved by smooth weighted
    /// round robin, so a short experiment still sees every bracket and a long one keeps the proportions.</summary>
    public int BracketOf(int trialNumber, int maxEpochs)
    {
        var sizes = Sizes(maxEpochs);
        var total = sizes.Sum();
        var current = new long[sizes.Count];
        var chosen = 0;
        for (var i = 0; i <= trialNumber % total; i++)
        {
            for (var s = 0; s < sizes.Count; s++) current[s] += sizes[s];
            chosen = 0;
            for (var s = 1; s < sizes.Count; s++)
                if (current[s] > current[chosen]) chosen = s;
            current[chosen] -= total;
        }
        return chosen;
    }

    public static string Stage(int bracket) => StagePrefix + bracket;

    /// <summary>The bracket a trial's stage names; null when it is not a bracket stage.</summary>
    public static int? BracketOf(string? stage) =>
        stage is not null && stage.StartsWith(StagePrefix, StringComparison.Ordinal) && int.TryParse(stage.AsSpan(StagePrefix.Length), out var s) ? s : null;
}
