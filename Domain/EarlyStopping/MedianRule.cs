using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.EarlyStopping;

/// <summary>
/// The median stopping rule (Golovin et al., "Google Vizier", KDD 2017, https://doi.org/10.1145/3097983.3098043):
/// at epoch t a trial is pruned when its best value so far is strictly worse than the median of the running
/// averages (mean of epochs 1..t) of the other trials that have reached epoch t, running or finished.
/// </summary>
public sealed class MedianRule : IStoppingRule
{
    public const string Name = "median";

    private readonly Objective _objective;
    private readonly int _startupTrials;
    private readonly int _warmupEpochs;

    /// <param name="startupTrials">No pruning at epoch t until this many other trials have reached t (at least 1).</param>
    /// <param name="warmupEpochs">No pruning during the first this-many epochs of a trial.</param>
    public MedianRule(Objective objective, int startupTrials, int warmupEpochs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startupTrials);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupEpochs);
        (_objective, _startupTrials, _warmupEpochs) = (objective, Math.Max(1, startupTrials), warmupEpochs);
    }

    public PeerQuestion? Asks(int epoch) =>
        epoch == 0 || epoch <= _warmupEpochs ? null : new PeerQuestion(PeerStatistic.MedianOfRunningMeans, epoch);

    public StopDecision? ShouldStop(TrialCurve trial, IReadOnlyList<TrialCurve> others) =>
        Decide(trial, Asks(trial.Epochs) is { } q ? PeerAnswer.Of(q, trial, others, _objective) : null);

    public StopDecision? Decide(TrialCurve trial, PeerAnswer? answer)
    {
        var t = trial.Epochs;
        if (t == 0 || t <= _warmupEpochs || answer is null) return null;
        if (answer.Count < _startupTrials) return null;

        var best = Scores.BestUpTo(trial.Values, t, _objective);
        // One NaN epoch makes a running mean −∞: a diverged run is the worst comparator.
        var median = answer.Count % 2 == 1 ? answer.First : (answer.First + answer.Second) / 2;
        // Ties go on: only a trial strictly worse than the median is pruned; one with no finite value never goes on.
        if (best >= median && double.IsFinite(best)) return null;

        var bestValue = Scores.ToValue(best, _objective);
        var medianValue = Scores.ToValue(median, _objective);
        var reason = $"{_objective.Metric} best {Scores.Format(bestValue)} by epoch {t} is worse than the median "
                     + $"{Scores.Format(medianValue)} of the running averages of {answer.Count} other trials at that epoch.";
        return new StopDecision(Name, t, bestValue, medianValue, reason, Pruned: true);
    }
}
