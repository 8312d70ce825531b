using HpSearch.Domain.Experiments;
using HpSearch.Domain.Sampling;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Recipe;

/// <summary>Stage 4: a coarse grid around the found rate (lr × factors, × weight decays) for a few epochs, the user's
/// other searched parameters drawn at random (seeded); the best few by the validation objective go on.</summary>
internal static class CoarseStage
{
    public const string Name = "coarse";

    /// <summary>The stage's budget is the recipe's: the experiment's stopping rule does not cut coarse trials short.</summary>
    public static readonly TrialOptions Options = new(NoStopping: true);

    public static IReadOnlyList<TrialRequest> Plan(RecipeContext c, double foundLr, int count)
    {
        var o = c.Options;
        var cells = o.CoarseLrFactors.SelectMany(f => o.CoarseWeightDecays.Select(wd => (Factor: f, Wd: wd))).ToList();
        // A budget too small for the whole grid keeps a seeded random subset of it, not its first rows.
        var order = new Random(Seeds.Derive(c.Seed, 4));
        var kept = cells.OrderBy(_ => order.Next()).Take(Math.Min(count, cells.Count)).ToList();
        return kept.Select((cell, i) =>
        {
            var p = c.BaseParams();
            var rng = new Random(Seeds.Derive(c.Seed, 40, i));
            foreach (var other in c.OtherParameters) p[other.Name] = RandomSampler.Draw(other, rng);
            p[RecipeContext.Lr] = c.ClampLr(foundLr * cell.Factor);
            p[RecipeContext.WeightDecay] = cell.Wd;
            return c.Request(Name, p, o.CoarseEpochs, Options);
        }).ToList();
    }

    public static int GridSize(SixStepOptions o) => o.CoarseLrFactors.Count * o.CoarseWeightDecays.Count;

    /// <summary>The best <c>k</c> finished trials by the objective (completed before pruned, then by value).</summary>
    public static IReadOnlyList<TrialRecord> Top(Objective objective, IReadOnlyList<TrialRecord> trials, int k) =>
        trials.Where(t => t.Status is TrialStatus.Completed or TrialStatus.Pruned && t.BestValue(objective) is not null)
            .OrderBy(t => t.Status == TrialStatus.Completed ? 0 : 1)
            .ThenBy(t => objective.Maximize ? -t.BestValue(objective)!.Value : t.BestValue(objective)!.Value)
            .ThenBy(t => t.Number)
            .Take(k).ToList();

    /// <summary>Says that the spec's stopping rule was set aside, so nobody wonders why no stage trial was pruned.</summary>
    private static string StoppingNote(RecipeContext c) =>
        c.Spec.EarlyStopping.Kind != StoppingKind.None || c.Spec.EarlyStopping.Patience is not null
            ? $" The experiment's earlyStopping ({c.Spec.EarlyStopping.Kind.ToString().ToLowerInvariant()}) does not apply to the recipe's stages: each runs its own budget."
            : "";

    public static StageResult Judge(RecipeContext c, IReadOnlyList<TrialRecord> trials)
    {
        var top = Top(c.Objective, trials, c.Options.RefineTopK);
        if (top.Count == 0)
            return new StageResult(4, Name, StageStatus.Failed, "no coarse trial finished with a value.",
                trials.All(t => t.Status == TrialStatus.Diverged)
                    ? "every coarse trial diverged: the learning rate found in stage 3 is too large for full epochs; lower lrFinderHigh or the coarse factors."
                    : "every coarse trial failed or diverged: see the trials' errors.");
        var best = top[0];
        var values = new Dictionary<string, double>
        {
            ["bestValue"] = best.BestValue(c.Objective)!.Value,
            ["lr"] = RecipeContext.LrOf(best),
            ["weightDecay"] = RecipeContext.WeightDecayOf(best),
        };
        return new StageResult(4, Name, StageStatus.Passed,
            $"best of {trials.Count}: trial {best.Number} {c.Objective.Metric} {RecipeContext.Fmt(values["bestValue"])} "
            + $"(lr {RecipeContext.Fmt(values["lr"])}, weight decay {RecipeContext.Fmt(values["weightDecay"])}); "
            + $"trials {string.Join(", ", top.Select(t => t.Number))} go on.{StoppingNote(c)}", null, values);
    }
}
