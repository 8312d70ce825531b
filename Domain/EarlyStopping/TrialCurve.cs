using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.EarlyStopping;

/// <summary>A trial's objective value per epoch (index 0 = epoch 1), as the stopping rules read it.</summary>
/// <param name="Group">Trials are only compared with trials of the same group (the six-step recipe passes the
/// trial's stage, so learning-rate-finder runs never set a median or a rung for the coarse stage); null = one group.</param>
public sealed record TrialCurve(int TrialNumber, IReadOnlyList<double> Values, bool Finished, string? Group = null)
{
    /// <summary>Epochs reported so far.</summary>
    public int Epochs => Values.Count;

    /// <summary>The curve of <paramref name="objective"/> for <paramref name="trial"/>, grouped by its stage.</summary>
    public static TrialCurve Of(TrialRecord trial, Objective objective) =>
        new(trial.Number, trial.Epochs.Select(e => e.Get(objective.Metric)).ToList(), trial.Status.IsFinished(), trial.Stage);

    /// <summary>True when <paramref name="other"/> is a different trial that competes with this one.</summary>
    public bool CompetesWith(TrialCurve other) => other.TrialNumber != TrialNumber && other.Group == Group;
}
