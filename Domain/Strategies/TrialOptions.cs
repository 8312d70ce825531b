namespace HpSearch.Domain.Strategies;

/// <summary>How a trial trains beyond its parameters; the recipe's stages use these (a normal trial uses none).</summary>
/// <param name="SubsetPerClass">Train on only this many examples per class (stage 2: overfit a tiny subset).</param>
/// <param name="MaxIterations">Stop after this many mini-batches (stage 3: learning-rate finder).</param>
/// <param name="RegularizationOff">Weight decay and dropout forced to 0 (stages 1–2).</param>
/// <param name="MeasureInitialLoss">Record the loss of the untrained model as summary "initialLoss" (stages 1 and 3).</param>
/// <param name="NoStopping">The experiment's stopping rule does not apply.</param>
/// <param name="ConstantLearningRate">No learning-rate decay: the schedule is constant (stage 5: refine).</param>
public sealed record TrialOptions(
    int? SubsetPerClass = null,
    int? MaxIterations = null,
    bool RegularizationOff = false,
    bool MeasureInitialLoss = false,
    bool NoStopping = false,
    bool ConstantLearningRate = false)
{
    public static readonly TrialOptions Default = new();

    /// <summary>A diagnostic run (a subset, a few iterations, or regularization off): never an experiment's result.</summary>
    public bool IsDiagnostic => SubsetPerClass is not null || MaxIterations is not null || RegularizationOff;
}
