namespace HpSearch.Domain.Diagnosis;

/// <summary>What the curves of one trial say: the fit, why, and what to do about it.</summary>
/// <param name="Gap">Train minus validation accuracy at the end (or the relative loss gap when there is no accuracy); NaN when unknown.</param>
/// <param name="LossStillFalling">The smoothed training loss still fell by more than 1% over the last window.</param>
/// <param name="ValidationPlateaued">The smoothed validation metric improved by less than 0.5% over the last window.</param>
public sealed record CurveReport(
    FitKind Fit,
    string Diagnosis,
    string Advice,
    double FinalTrainLoss,
    double FinalValidation,
    double Gap,
    bool LossStillFalling,
    bool ValidationPlateaued);
