using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.EarlyStopping;

/// <summary>
/// Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter Tuning", MLSys 2020,
/// https://arxiv.org/abs/1810.05934). Rungs sit at minEpochs·η^k epochs (below maxEpochs). When a trial reaches a
/// rung it goes on only if its value there is among the best ⌊n/η⌋ (at least 1) of the n trials that have reached
/// that rung so far, itself included; nobody waits for stragglers.
/// </summary>
public sealed class AshaRule : IStoppingRule
{
    public const string Name = "asha";

    private readonly Objective _objective;
    private readonly int _eta;

    /// <summary>The rung epochs, ascending: minEpochs, minEpochs·η, ... (all below maxEpochs).</summary>
    public IReadOnlyList<int> Rungs { get; }

    public AshaRule(Objective objective, int minEpochs, int reductionFactor, int maxEpochs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minEpochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(reductionFactor, 2);
        (_objective, _eta) = (objective, reductionFactor);
        var rungs = new List<int>();
        for (long r = minEpochs; r < maxEpochs; r *= reductionFactor) rungs.Add((int)r);
        Rungs = rungs;
    }

    public PeerQuestion? Asks(int epoch) =>
        IndexOf(epoch) < 0 ? null : new PeerQuestion(PeerStatistic.RungThreshold, epoch, _eta);

    public StopDecision? ShouldStop(TrialCurve trial, IReadOnlyList<TrialCurve> others) =>
        Decide(trial, Asks(trial.Epochs) is { } q ? PeerAnswer.Of(q, trial, others, _objective) : null);

    public StopDecision? Decide(TrialCurve trial, PeerAnswer? answer)
    {
        var t = trial.Epochs;
        var rung = IndexOf(t);
        if (rung < 0 || answer is null) return null;

        // The value at the rung epoch itself (as in the paper: the loss after r_k resources); NaN is the worst.
        var own = Scores.Of(trial.Values[t - 1], _objective);
        var threshold = answer.First;
        // Ties go on: a trial equal to the k-th best is promoted. A NaN value is never promoted, even when tied.
        if (own >= threshold && double.IsFinite(own)) return null;

        var value = trial.Values[t - 1];
        var thresholdValue = Scores.ToValue(threshold, _objective);
        var side = _objective.Maximize ? "below" : "above";
        var reason = $"{_objective.Metric} {Scores.Format(value)} at epoch {t} (rung {rung}) is {side} the top-1/{_eta} "
                     + $"threshold {Scores.Format(thresholdValue)} of {answer.Count} trials at that rung.";
        return new StopDecision(Name, t, value, thresholdValue, reason, Pruned: true, Rung: rung);
    }

    private int IndexOf(int epoch)
    {
        for (var k = 0; k < Rungs.Count; k++)
            if (Rungs[k] == epoch) return k;
        return -1;
    }
}
