using HpSearch.Domain.Experiments;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Recipe;

/// <summary>
/// Stage 3: a learning-rate sweep (CS231n; Smith, "Cyclical Learning Rates", https://arxiv.org/abs/1506.01186):
/// log-spaced rates, each trained a few mini-batches on all the data with a small weight decay; the chosen rate
/// is the one whose loss fell the most relative to its initial loss without diverging.
/// </summary>
internal static class LrFinderStage
{
    public const string Name = "lr-finder";
    /// <summary>A rate "makes the loss drop" when it falls by at least this fraction of the initial loss.</summary>
    public const double MinDrop = 0.1;

    public static IReadOnlyList<double> Rates(SixStepOptions o)
    {
        if (o.LrFinderPoints == 1) return [Math.Sqrt(o.LrFinderLow * o.LrFinderHigh)];
        var (lo, hi) = (Math.Log(o.LrFinderLow), Math.Log(o.LrFinderHigh));
        return Enumerable.Range(0, o.LrFinderPoints).Select(i => Math.Exp(lo + (hi - lo) * i / (o.LrFinderPoints - 1))).ToList();
    }

    public static IReadOnlyList<TrialRequest> Plan(RecipeContext c)
    {
        var options = new TrialOptions(MaxIterations: c.Options.LrFinderIterations, MeasureInitialLoss: true, NoStopping: true);
        return Rates(c.Options).Select(lr =>
        {
            var p = c.BaseParams();
            p[RecipeContext.Lr] = lr;
            p[RecipeContext.WeightDecay] = c.Options.LrFinderWeightDecay;
            return c.Request(Name, p, 1, options);
        }).ToList();
    }

    /// <param name="initialLoss">Stage 1's measured loss: used for trials that did not report their own.</param>
    public static StageResult Judge(RecipeContext c, IReadOnlyList<TrialRecord> trials, double initialLoss)
    {
        var points = trials.OrderBy(RecipeContext.LrOf)
            .Select(t => (Trial: t, Lr: RecipeContext.LrOf(t), Drop: Drop(t, initialLoss))).ToList();
        var values = new Dictionary<string, double>();
        foreach (var p in points) values[$"drop@{RecipeContext.Fmt(p.Lr)}"] = p.Drop;
        var good = points.Where(p => p.Drop >= MinDrop).ToList();
        var iterations = c.Options.LrFinderIterations;
        if (good.Count == 0)
        {
            var diagnosis = points.All(p => double.IsNegativeInfinity(p.Drop))
                ? $"the loss diverged at every rate from {RecipeContext.Fmt(c.Options.LrFinderLow)}: the learning rate is too large even there (lower lrFinderLow) or the inputs are not normalised."
                : $"no rate in [{RecipeContext.Fmt(c.Options.LrFinderLow)}, {RecipeContext.Fmt(c.Options.LrFinderHigh)}] lowered the loss by {MinDrop:P0} within {iterations} iterations: "
                  + "the learning rate is too small (raise lrFinderHigh) or the model too small.";
            return new StageResult(3, Name, StageStatus.Failed, "no learning rate made the loss drop.", diagnosis, values);
        }
        // The largest drop wins; on a tie the smaller (safer) rate.
        var best = good.OrderByDescending(p => p.Drop).ThenBy(p => p.Lr).First();
        var at = points.IndexOf(best);
        var low = at > 0 && points[at - 1].Drop > 0 ? points[at - 1].Lr : best.Lr;
        var high = at < points.Count - 1 && points[at + 1].Drop > 0 ? points[at + 1].Lr : best.Lr;
        values["lr"] = best.Lr;
        values["rangeLow"] = low;
        values["rangeHigh"] = high;
        return new StageResult(3, Name, StageStatus.Passed,
            $"lr {RecipeContext.Fmt(best.Lr)} lowered the loss fastest ({best.Drop:P0} in {iterations} iterations); "
            + $"the loss falls well between {RecipeContext.Fmt(low)} and {RecipeContext.Fmt(high)}.", null, values);
    }

    /// <summary>(initial − final) / initial of the training loss; −∞ when the run diverged (NaN, or the loss rose).</summary>
    public static double Drop(TrialRecord t, double initialLoss)
    {
        var start = t.SummaryOrEmpty.TryGetValue("initialLoss", out var i) && double.IsFinite(i) ? i : initialLoss;
        var end = t.Last("trainLoss");
        if (t.Status == TrialStatus.Diverged || !double.IsFinite(end) || !double.IsFinite(start) || end > start) return double.NegativeInfinity;
        return (start - end) / Math.Max(Math.Abs(start), 1e-12);
    }
}
