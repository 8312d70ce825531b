using HpSearch.Domain.Experiments;
using HpSearch.Domain.Search;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Recipe;

/// <summary>
/// The CS231n tuning recipe run as six stages (https://cs231n.github.io/neural-networks-3/#baby; docs/six-step-recipe.md):
/// initial loss, overfit a tiny subset, learning-rate finder, coarse grid, refine, read the curves. Each stage starts
/// when the previous one has passed and all its trials have finished; a failed stage ends the experiment with a diagnosis.
/// </summary>
public sealed class SixStepRecipe(int? classes = null) : IStrategy
{
    /// <summary>Classes when neither the constructor nor <c>params.classes</c> says (mnist, fashion-mnist: 10).</summary>
    public const int DefaultClasses = 10;

    public static readonly IReadOnlyList<string> StageNames =
        [InitialLossStage.Name, OverfitStage.Name, LrFinderStage.Name, CoarseStage.Name, RefineStage.Name, CurvesStage.Name];

    /// <summary>C for stage 1: the constructor's value, else <c>params.classes</c>, else <see cref="DefaultClasses"/>.</summary>
    public int ClassesOf(ExperimentSpec spec)
    {
        if (classes is { } c) return c;
        if (spec.Params.TryGetValue("classes", out var v))
        {
            try { return Math.Max(2, ParameterValue.AsInt(v)); }
            catch (FormatException) { return DefaultClasses; }
        }
        return DefaultClasses;
    }

    /// <summary>Trials stages 1–3 always use (cheap diagnostics, counted against budget.maxTrials).</summary>
    public static int DiagnosticTrials(SixStepOptions o) => 1 + OverfitStage.Rates + o.LrFinderPoints;

    /// <summary>How many coarse and refine trials budget.maxTrials leaves: the coarse grid first, then refine, at least one each.</summary>
    public static (int Coarse, int Refine) Split(SixStepOptions o, int maxTrials)
    {
        var remaining = maxTrials - DiagnosticTrials(o);
        var refine = Math.Max(1, Math.Min(o.RefineTrials, remaining - CoarseStage.GridSize(o)));
        var coarse = Math.Max(1, Math.Min(CoarseStage.GridSize(o), remaining - refine));
        return (coarse, refine);
    }

    public StrategyDecision Next(ExperimentSpec spec, IReadOnlyList<TrialRecord> trials, int freeSlots) =>
        Next(spec, trials, freeSlots, TimeSpan.Zero);

    public StrategyDecision Next(ExperimentSpec spec, IReadOnlyList<TrialRecord> trials, int freeSlots, TimeSpan elapsed)
    {
        var c = new RecipeContext(spec, trials, ClassesOf(spec));
        var stop = BudgetRules.Exhausted(spec, trials, elapsed);
        if (stop is { } s)
        {
            // Record where the recipe was without starting anything new.
            var frozen = new Run(c, 0);
            Walk(c, frozen);
            return frozen.Decide(done: true, s.Failure, s.Reason);
        }
        var run = new Run(c, Math.Max(0, freeSlots));
        return Walk(c, run) ? run.Decide(done: true) : run.Decide(done: run.Failure is not null);
    }

    /// <summary>Runs the stages in order; true when all six have passed.</summary>
    private static bool Walk(RecipeContext c, Run run)
    {
        var o = c.Options;
        var s1 = run.Stage(1, InitialLossStage.Name, InitialLossStage.Plan(c), t => InitialLossStage.Judge(c, t));
        if (s1 is null) return false;
        if (run.Stage(2, OverfitStage.Name, OverfitStage.Plan(c), t => OverfitStage.Judge(c, t)) is null) return false;
        var s3 = run.Stage(3, LrFinderStage.Name, LrFinderStage.Plan(c), t => LrFinderStage.Judge(c, t, s1.Values!["initialLoss"]));
        if (s3 is null) return false;
        var (coarse, refine) = Split(o, c.Spec.Budget.MaxTrials);
        if (run.Stage(4, CoarseStage.Name, CoarseStage.Plan(c, s3.Values!["lr"], coarse), t => CoarseStage.Judge(c, t)) is null) return false;
        var parents = CoarseStage.Top(c.Objective, c.Of(CoarseStage.Name), o.RefineTopK);
        if (run.Stage(5, RefineStage.Name, RefineStage.Plan(c, parents, refine), t => RefineStage.Judge(c, t)) is null) return false;
        return run.Stage(6, CurvesStage.Name, [], _ => CurvesStage.Judge(c, c.Of(RefineStage.Name))) is not null;
    }

    /// <summary>One call's walk through the stages: what was asked for and every stage's state.</summary>
    private sealed class Run(RecipeContext c, int freeSlots)
    {
        private readonly List<StageResult> _stages = [];
        private readonly List<TrialRequest> _requests = [];
        private string? _current;

        public string? Failure { get; private set; }

        /// <summary>The stage's result when it has passed; null when it is still running or has failed.</summary>
        public StageResult? Stage(int number, string name, IReadOnlyList<TrialRequest> plan, Func<IReadOnlyList<TrialRecord>, StageResult> judge)
        {
            _current = name;
            var mine = c.Of(name);
            if (mine.Count < plan.Count)
            {
                _requests.AddRange(plan.Skip(mine.Count).Take(freeSlots));
                _stages.Add(new StageResult(number, name, StageStatus.Running,
                    $"{mine.Count + _requests.Count} of {plan.Count} trials started, {mine.Count(t => t.Status.IsFinished())} finished."));
                return null;
            }
            var unfinished = mine.Count(t => !t.Status.IsFinished());
            if (unfinished > 0)
            {
                _stages.Add(new StageResult(number, name, StageStatus.Running, $"{mine.Count - unfinished} of {mine.Count} trials finished."));
                return null;
            }
            var result = judge(mine);
            // Stages are stored as JSON, which has no NaN or infinity: unknown numbers are left out.
            if (result.Values is { } v && v.Values.Any(x => !double.IsFinite(x)))
                result = result with { Values = v.Where(kv => double.IsFinite(kv.Value)).ToDictionary() };
            _stages.Add(result);
            if (result.Status == StageStatus.Failed)
            {
                Failure = $"stage {number} ({name}) failed: {result.Diagnosis ?? result.Summary}";
                return null;
            }
            return result;
        }

        public StrategyDecision Decide(bool done, string? failure = null, string? stopReason = null)
        {
            failure ??= Failure;
            var stages = new List<StageResult>(_stages);
            for (var n = stages.Count + 1; n <= StageNames.Count; n++)
                stages.Add(new StageResult(n, StageNames[n - 1], done ? StageStatus.Skipped : StageStatus.Pending,
                    done ? stopReason ?? "not run: an earlier stage failed." : "waiting for the earlier stages."));
            if (stopReason is not null && stages.FindIndex(s => s.Status == StageStatus.Running) is var i and >= 0)
                stages[i] = stages[i] with { Summary = $"{stages[i].Summary} Stopped: {stopReason}" };
            return new StrategyDecision(done ? [] : _requests, done, failure, _current, stages);
        }
    }
}
