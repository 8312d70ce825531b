using HpSearch.Domain.Experiments;
using HpSearch.Domain.Sampling;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Recipe;

/// <summary>Stage 5: around each of the coarse stage's best, a seeded random draw in a narrowed range (lr within ×/÷1.5,
/// weight decay within ×/÷2), trained longer with a constant learning rate.</summary>
internal static class RefineStage
{
    public const string Name = "refine";
    public const double LrSpan = 1.5;
    public const double WeightDecaySpan = 2;

    public static IReadOnlyList<TrialRequest> Plan(RecipeContext c, IReadOnlyList<TrialRecord> parents, int count)
    {
        var options = new TrialOptions(NoStopping: true, ConstantLearningRate: true);
        return Enumerable.Range(0, count).Select(i =>
        {
            var parent = parents[i % parents.Count];
            var rng = new Random(Seeds.Derive(c.Seed, 5, i));
            var p = new Dictionary<string, object>(parent.Params, StringComparer.Ordinal);
            p[RecipeContext.Lr] = c.ClampLr(RecipeContext.LrOf(parent) * Math.Pow(LrSpan, 2 * rng.NextDouble() - 1));
            var wd = RecipeContext.WeightDecayOf(parent);
            var u = 2 * rng.NextDouble() - 1;
            p[RecipeContext.WeightDecay] = double.IsFinite(wd) ? wd * Math.Pow(WeightDecaySpan, u) : 0.0;
            return c.Request(Name, p, c.Options.RefineEpochs, options);
        }).ToList();
    }

    private static string CapNote(IReadOnlyList<TrialRecord> trials) =>
        trials.Select(RecipeContext.EpochCap).FirstOrDefault(x => x is not null) is { } cap ? $" Note: {cap}." : "";

    public static StageResult Judge(RecipeContext c, IReadOnlyList<TrialRecord> trials)
    {
        var top = CoarseStage.Top(c.Objective, trials, 1);
        if (top.Count == 0)
            return new StageResult(5, Name, StageStatus.Failed, "no refine trial finished with a value.",
                "every refine trial failed or diverged over the longer run: lower the learning rate (coarseLrFactors) or add gradient clipping.");
        var best = top[0];
        var value = best.BestValue(c.Objective)!.Value;
        return new StageResult(5, Name, StageStatus.Passed,
            $"best of {trials.Count}: trial {best.Number} {c.Objective.Metric} {RecipeContext.Fmt(value)} after {best.Epochs.Count} epochs "
            + $"(lr {RecipeContext.Fmt(RecipeContext.LrOf(best))}).{CapNote(trials)}", null,
            new Dictionary<string, double> { ["bestValue"] = value, ["lr"] = RecipeContext.LrOf(best), ["bestTrial"] = best.Number });
    }
}
