namespace HpSearch.Domain.EarlyStopping;

/// <summary>Decides after an epoch whether a trial goes on (Optuna's BasePruner): a pure function of the curves.</summary>
public interface IStoppingRule
{
    /// <param name="trial">The trial being decided, up to its latest epoch.</param>
    /// <param name="others">Every other trial of the experiment (running or finished).</param>
    /// <returns>null to go on.</returns>
    StopDecision? ShouldStop(TrialCurve trial, IReadOnlyList<TrialCurve> others);
}
