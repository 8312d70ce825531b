using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.EarlyStopping;

/// <summary>
/// Early stopping inside one trial (Prechelt, "Early Stopping — But When?", 1998, https://doi.org/10.1007/3-540-49430-8_3;
/// Keras' EarlyStopping):
/// stop after <c>patience</c> epochs in which the objective did not beat the best so far by more than
/// <c>minDelta</c>. The trial ends completed and keeps its best epoch (<see cref="StopDecision.Pruned"/> = false).
/// </summary>
public sealed class PatienceRule : IStoppingRule
{
    public const string Name = "patience";

    private readonly int _patience;
    private readonly double _minDelta;
    private readonly Objective _objective;

    public PatienceRule(int patience, double minDelta, Objective objective)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(patience, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(minDelta);
        (_patience, _minDelta, _objective) = (patience, minDelta, objective);
    }

    /// <summary>Patience reads the trial's own curve only.</summary>
    public PeerQuestion? Asks(int epoch) => null;

    public StopDecision? ShouldStop(TrialCurve trial, IReadOnlyList<TrialCurve> others) => Decide(trial, null);

    public StopDecision? Decide(TrialCurve trial, PeerAnswer? answer)
    {
        // The reference best moves only on an improvement larger than minDelta (Keras semantics), so a
        // slow creep of tiny gains still runs out of patience. NaN epochs never improve.
        var bestScore = double.NegativeInfinity;
        var bestEpoch = 0;
        for (var i = 0; i < trial.Epochs; i++)
        {
            var s = Scores.Of(trial.Values[i], _objective);
            if (double.IsFinite(s) && (bestEpoch == 0 || s > bestScore + _minDelta))
                (bestScore, bestEpoch) = (s, i + 1);
        }
        var waited = trial.Epochs - bestEpoch;
        if (waited < _patience) return null;

        var epoch = trial.Epochs;
        var value = trial.Values[epoch - 1];
        var best = Scores.ToValue(bestScore, _objective);
        var reason = bestEpoch == 0
            ? $"{_objective.Metric} has no finite value in {epoch} epochs (patience {_patience})."
            : $"{_objective.Metric} has not improved on {Scores.Format(best)} (epoch {bestEpoch}) by more than "
              + $"{Scores.Format(_minDelta)} for {waited} epochs (patience {_patience}); the best epoch is kept.";
        return new StopDecision(Name, epoch, value, best, reason, Pruned: false);
    }
}
