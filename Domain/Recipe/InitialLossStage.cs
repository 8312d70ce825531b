using HpSearch.Domain.Experiments;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Recipe;

/// <summary>Stage 1: the untrained model's loss, regularization off, should be about ln C (softmax over C classes at chance).</summary>
internal static class InitialLossStage
{
    public const string Name = "initial-loss";

    public static IReadOnlyList<TrialRequest> Plan(RecipeContext c) =>
        [c.Request(Name, c.BaseParams(), 1, new TrialOptions(MaxIterations: 10, RegularizationOff: true, MeasureInitialLoss: true, NoStopping: true, ConstantLearningRate: true))];

    public static StageResult Judge(RecipeContext c, IReadOnlyList<TrialRecord> trials)
    {
        var expected = Math.Log(c.Classes);
        var t = trials[0];
        var loss = t.SummaryOrEmpty.TryGetValue("initialLoss", out var l) ? l : double.NaN;
        var values = new Dictionary<string, double> { ["initialLoss"] = loss, ["expected"] = expected, ["classes"] = c.Classes };
        var tol = c.Options.InitialLossTolerance;
        string? diagnosis = null;
        if (t.Status == TrialStatus.Failed)
            diagnosis = $"trial {t.Number} failed before reporting an initial loss: see its error.";
        else if (!double.IsFinite(loss))
            diagnosis = "the initial loss is missing or not finite: check the input normalisation and the loss function.";
        else if (loss - expected > tol)
            diagnosis = $"initial loss {RecipeContext.Fmt(loss)} is well above ln({c.Classes}) = {RecipeContext.Fmt(expected)}: "
                        + "the weights are initialised too large (scale the init down, e.g. He/Xavier) or the loss is not softmax cross-entropy.";
        else if (expected - loss > tol)
            diagnosis = $"initial loss {RecipeContext.Fmt(loss)} is below ln({c.Classes}) = {RecipeContext.Fmt(expected)} for an untrained model: "
                        + "the class count is wrong (set params.classes) or the labels leak into the inputs.";
        return diagnosis is null
            ? new StageResult(1, Name, StageStatus.Passed,
                $"initial loss {RecipeContext.Fmt(loss)} ≈ ln({c.Classes}) = {RecipeContext.Fmt(expected)} (tolerance {RecipeContext.Fmt(tol)}).", null, values)
            : new StageResult(1, Name, StageStatus.Failed, "initial loss check failed.", diagnosis, values);
    }
}
