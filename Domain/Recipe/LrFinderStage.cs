using HpSearch.Domain.Experiments;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Recipe;

/// <summary>
/// Stage 3: a learning-rate sweep (CS231n; Smith, "Cyclical Learning Rates", https://arxiv.org/abs/1506.01186):
/// log-spaced rates, each trained a few mini-batches on all the data with a small weight decay; the chosen rate
/// is the lowest rate whose loss fell (relative to its initial loss) within 90% of the largest drop, without diverging.
/// </summary>
internal static class LrFinderStage
{
    public const string Name = "lr-finder";
    /// <summary>A rate "makes the loss drop" when it falls by at least this fraction of the initial loss.</summary>
    public const double MinDrop = 0.1;
    /// <summary>Rates whose drop is at least this fraction of the largest drop count as "falling fastest".</summary>
    public const double NearBest = 0.9;

    public static IReadOnlyList<double> Rates(SixStepOptions o)
    {
        if (o.LrFinderPoints == 1) return [Math.Sqrt(o.LrFinderLow * o.LrFinderHigh)];
        var (lo, hi) = (Math.Log(o.LrFinderLow), Math.Log(o.LrFinderHigh));
        return Enumerable.Range(0, o.LrFinderPoints).Select(i => Math.Exp(lo + (hi - lo) * i / (o.LrFinderPoints - 1))).ToList();
    }

    public static IReadOnlyList<TrialRequest> Plan(RecipeContext c)
    {
        var options = new TrialOptions(MaxIterations: c.Options.LrFinderIterations, MeasureInitialLoss: true, NoStopping: true, ConstantLearningRate: true);
        return Rates(c.Options).Select(lr =>
        {
            var p = c.BaseParams();
            p[RecipeContext.Lr] = lr;
            p[RecipeContext.WeightDecay] = c.Options.LrFinderWeightDecay;
            // Every epoch has at least one mini-batch, so the iteration limit (not an epoch of a large batch size) ends the run.
            return c.Request(Name, p, c.Options.LrFinderIterations, options);
        }).ToList();
    }

    /// <param name="initialLoss">Stage 1's measured loss: used for trials that did not report their own.</param>
    public static StageResult Judge(RecipeContext c, IReadOnlyList<TrialRecord> trials, double initialLoss)
    {
        var points = trials.OrderBy(RecipeContext.LrOf)
            .Select(t => (Trial: t, Lr: RecipeContext.LrOf(t), Drop: Drop(t, initialLoss))).ToList();
        var values = new Dictionary<string, double>();
        foreach (var p in points.Where(p => double.IsFinite(p.Drop))) values[$"drop@{RecipeContext.Fmt(p.Lr)}"] = p.Drop;
        var good = points.Where(p => p.Drop >= MinDrop).ToList();
        var iterations = c.Options.LrFinderIterations;
        if (good.Count == 0)
        {
            var diagnosis = points.All(p => double.IsNegativeInfinity(p.Drop))
                ? $"the loss diverged at every rate from {RecipeContext.Fmt(c.Options.LrFinderLow)}: the learning rate is too large even there (lower lrFinderLow) or the inputs are not normalised."
                : Ran(trials) is { } ran && ran < iterations
                    ? $"no rate lowered the loss by {MinDrop:P0}, but the rates ran only {ran:0} of the {iterations} iterations the stage allows: "
                      + "the trainer capped the run (its epochs or its own limit), so the stage did not measure the rates."
                    : $"no rate in [{RecipeContext.Fmt(c.Options.LrFinderLow)}, {RecipeContext.Fmt(c.Options.LrFinderHigh)}] lowered the loss by {MinDrop:P0} within {iterations} iterations: "
                      + "the learning rate is too small (raise lrFinderHigh) or the model too small.";
            return new StageResult(3, Name, StageStatus.Failed, "no learning rate made the loss drop.", diagnosis, values);
        }
        // The rates whose drop is within NearBest of the largest form the range where the loss falls fastest; its lowest
        // rate is chosen, because the rate just below divergence is rarely safe for full epochs.
        var top = good.Max(p => p.Drop);
        var near = good.Where(p => p.Drop >= NearBest * top).ToList();
        var best = near[0];
        var (low, high) = (best.Lr, near[^1].Lr);
        values["lr"] = best.Lr;
        values["rangeLow"] = low;
        values["rangeHigh"] = high;
        return new StageResult(3, Name, StageStatus.Passed,
            $"the loss falls fastest between lr {RecipeContext.Fmt(low)} and {RecipeContext.Fmt(high)} "
            + $"(a drop of {best.Drop:P0} to {top:P0} in {iterations} iterations); chosen: {RecipeContext.Fmt(best.Lr)}.", null, values);
    }

    /// <summary>The most iterations any finder trial reported (trainers that count them); null when none did.</summary>
    private static double? Ran(IReadOnlyList<TrialRecord> trials)
    {
        var counts = trials.Select(t => t.Last("iterations")).Where(i => double.IsFinite(i) && i > 0).ToList();
        return counts.Count == 0 ? null : counts.Max();
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
