namespace HpSearch.Domain.EarlyStopping;

/// <summary>Decides after an epoch whether a trial goes on (Optuna's BasePruner): a pure function of the trial's own curve and,
/// for a cross-trial rule, of one figure about the competing trials at that epoch (<see cref="PeerQuestion"/>), so the
/// decision costs the same at trial 100,000 as at trial 10 (docs/decisions/0018-stopping-from-epoch-figures.md).</summary>
public interface IStoppingRule
{
    /// <summary>What the rule needs to know about other trials after epoch <paramref name="epoch"/>; null when the trial's own
    /// curve is enough.</summary>
    PeerQuestion? Asks(int epoch);

    /// <param name="trial">The trial being decided, up to its latest epoch.</param>
    /// <param name="answer">The answer to <see cref="Asks"/> for that epoch; null when the rule asked nothing.</param>
    /// <returns>null to go on.</returns>
    StopDecision? Decide(TrialCurve trial, PeerAnswer? answer);

    /// <summary>The same decision from whole curves: <paramref name="others"/> are every other trial of the experiment
    /// (running or finished), and the answer is computed from them by <see cref="PeerAnswer.Of"/>.</summary>
    StopDecision? ShouldStop(TrialCurve trial, IReadOnlyList<TrialCurve> others);
}
