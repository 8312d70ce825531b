using HpSearch.Domain.Experiments;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Recipe;

/// <summary>Stage 2: with regularization off the model must overfit a tiny subset (~100% train accuracy); three rates
/// spread over the searched lr range are tried and one success is enough.</summary>
internal static class OverfitStage
{
    public const string Name = "overfit";
    public const int Rates = 3;
    /// <summary>A loss that fell by less than this fraction of its start is "flat".</summary>
    public const double FlatFall = 0.1;

    public static IReadOnlyList<TrialRequest> Plan(RecipeContext c)
    {
        var options = new TrialOptions(SubsetPerClass: c.Options.OverfitExamplesPerClass, RegularizationOff: true, NoStopping: true, ConstantLearningRate: true);
        return c.LrSpread(Rates).Select(lr =>
        {
            var p = c.BaseParams();
            p[RecipeContext.Lr] = lr;
            return c.Request(Name, p, c.Options.OverfitMaxEpochs, options);
        }).ToList();
    }

    public static StageResult Judge(RecipeContext c, IReadOnlyList<TrialRecord> trials)
    {
        var target = c.Options.OverfitTargetAccuracy;
        var best = trials.OrderByDescending(BestTrainAccuracy).First();
        var bestAcc = BestTrainAccuracy(best);
        var values = new Dictionary<string, double> { ["bestTrainAccuracy"] = bestAcc, ["lr"] = RecipeContext.LrOf(best) };
        if (bestAcc >= target)
            return new StageResult(2, Name, StageStatus.Passed,
                $"trial {best.Number} (lr {RecipeContext.Fmt(RecipeContext.LrOf(best))}) reached train accuracy {RecipeContext.Fmt(bestAcc)} "
                + $"on {c.Options.OverfitExamplesPerClass} examples per class.", null, values);

        var kinds = trials.Select(Classify).ToList();
        var rates = string.Join(", ", trials.Select(t => RecipeContext.Fmt(RecipeContext.LrOf(t))));
        string diagnosis;
        if (kinds.All(k => k == TrialKind.Crashed))
            diagnosis = "every overfit trial failed: see the trials' errors.";
        else if (kinds.All(k => k is TrialKind.Diverged or TrialKind.Crashed))
            diagnosis = $"the loss diverged (NaN or exploding) at every rate tried ({rates}): the learning rate is too large (or the inputs are not normalised).";
        else if (!kinds.Contains(TrialKind.Falling) && kinds.Contains(TrialKind.Diverged))
            diagnosis = $"the loss stays flat at the lower rates and diverges at the higher ones ({rates}): no rate works; "
                        + "the model is too small or badly conditioned (check input normalisation and the initialisation).";
        else if (!kinds.Contains(TrialKind.Falling))
            diagnosis = $"the loss stayed flat at the rates tried ({rates}): the learning rate is too small or the model too small "
                        + "(also check that gradients reach the weights).";
        else if (RecipeContext.EpochCap(best) is { } cap)
            diagnosis = $"{cap}; train accuracy reached {RecipeContext.Fmt(bestAcc)} (< {RecipeContext.Fmt(target)}) in those epochs, "
                        + "so the stage did not measure whether the model can overfit.";
        else if (StillRising(best))
            diagnosis = $"train accuracy was still rising ({RecipeContext.Fmt(bestAcc)} < {RecipeContext.Fmt(target)}) when the stage's "
                        + $"{best.Epochs.Count} epochs{Iterations(best)} ran out: raise overfitMaxEpochs (or the learning rate); nothing points at the data yet.";
        else
            diagnosis = $"the loss falls but train accuracy levels off at {RecipeContext.Fmt(bestAcc)} (< {RecipeContext.Fmt(target)}) over the last "
                        + $"epochs of {best.Epochs.Count}{Iterations(best)} on a tiny subset: check the data and labels (misaligned or shuffled labels, "
                        + "wrong preprocessing), or the model is too small.";
        if (trials.Where(t => t != best).Select(RecipeContext.EpochCap).FirstOrDefault(x => x is not null) is { } other && !diagnosis.Contains(other, StringComparison.Ordinal))
            diagnosis += $" Note: {other}.";
        return new StageResult(2, Name, StageStatus.Failed,
            $"could not overfit {c.Options.OverfitExamplesPerClass} examples per class (best train accuracy {RecipeContext.Fmt(bestAcc)}).", diagnosis, values);
    }

    /// <summary>True when train accuracy still improved over the last fifth of the epochs (at least the last two).</summary>
    internal static bool StillRising(TrialRecord t)
    {
        var acc = t.Epochs.Select(e => e.Get("trainAccuracy")).Where(double.IsFinite).ToList();
        var window = Math.Max(2, acc.Count / 5);
        if (acc.Count <= window) return true;
        return acc.Skip(acc.Count - window).Max() > acc.Take(acc.Count - window).Max() + RisingMargin;
    }

    /// <summary>A rise of train accuracy above this over the last epochs counts as still rising.</summary>
    public const double RisingMargin = 0.005;

    private static string Iterations(TrialRecord t) =>
        t.Last("iterations") is var i && double.IsFinite(i) && i > 0 ? $" ({i:0} iterations)" : "";

    private static double BestTrainAccuracy(TrialRecord t) =>
        new Objective("trainAccuracy", true).Best(t.Epochs.Select(e => e.Get("trainAccuracy"))) ?? 0;

    internal enum TrialKind { Crashed, Diverged, Flat, Falling }

    internal static TrialKind Classify(TrialRecord t)
    {
        if (t.Status == TrialStatus.Failed && t.Epochs.Count == 0) return TrialKind.Crashed;
        var losses = t.Epochs.Select(e => e.Get("trainLoss")).ToList();
        if (t.Status == TrialStatus.Diverged || losses.Any(l => !double.IsFinite(l))) return TrialKind.Diverged;
        var start = t.SummaryOrEmpty.TryGetValue("initialLoss", out var i) && double.IsFinite(i) ? i : losses.FirstOrDefault(double.NaN);
        var end = losses.LastOrDefault(double.NaN);
        if (!double.IsFinite(start) || !double.IsFinite(end)) return TrialKind.Crashed;
        if (end > 2 * start) return TrialKind.Diverged;
        return (start - end) / Math.Max(Math.Abs(start), 1e-12) < FlatFall ? TrialKind.Flat : TrialKind.Falling;
    }
}
