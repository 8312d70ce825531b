using System.Globalization;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Search;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Recipe;

/// <summary>What every stage of the recipe reads: the spec, its thresholds, the class count and the trials so far.</summary>
internal sealed class RecipeContext(ExperimentSpec spec, IReadOnlyList<TrialRecord> trials, int classes)
{
    public const string Lr = "lr";
    public const string WeightDecay = "weightDecay";
    public const string Epochs = "epochs";

    public ExperimentSpec Spec { get; } = spec;
    public SixStepOptions Options { get; } = spec.Strategy.SixStep ?? new SixStepOptions();
    public int Classes { get; } = classes;
    public int Seed => Spec.Strategy.Seed;
    public Objective Objective => Spec.Objective;

    public IReadOnlyList<TrialRecord> Of(string stage) => trials.Where(t => t.Stage == stage).ToList();

    /// <summary>The searched parameters other than lr and weightDecay, which the recipe sets itself.</summary>
    public IEnumerable<ParameterSpec> OtherParameters =>
        Spec.SearchSpace.Parameters.Where(p => p.Name is not (Lr or WeightDecay));

    /// <summary>Every searched parameter at the middle of its range (geometric middle on log scales, the first choice
    /// of a categorical): the configuration stages 1–3 use.</summary>
    public Dictionary<string, object> BaseParams()
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var p in Spec.SearchSpace.Parameters.Where(p => p.Name != WeightDecay)) values[p.Name] = Middle(p);
        return values;
    }

    /// <summary><paramref name="k"/> learning rates spread (log-spaced, ends excluded) over the searched lr range.</summary>
    public IReadOnlyList<double> LrSpread(int k)
    {
        var p = Spec.SearchSpace[Lr];
        if (p is null) return [1e-3];
        if (p.Kind is ParameterKind.Categorical or ParameterKind.Fixed)
        {
            var choices = p.Choices.Select(ParameterValue.AsDouble).Distinct().Order().ToList();
            return Enumerable.Range(0, Math.Min(k, choices.Count))
                .Select(i => choices[k >= choices.Count ? i : (int)Math.Round(i * (choices.Count - 1.0) / Math.Max(1, k - 1))]).ToList();
        }
        var (lo, hi) = (Math.Log(Math.Max(p.Low, 1e-12)), Math.Log(p.High));
        return Enumerable.Range(1, k).Select(i => Math.Exp(lo + (hi - lo) * i / (k + 1))).ToList();
    }

    /// <summary>Keeps a rate inside the searched lr range when it is a range.</summary>
    public double ClampLr(double lr) =>
        Spec.SearchSpace[Lr] is { Kind: ParameterKind.LogUniform or ParameterKind.Uniform } p ? Math.Clamp(lr, p.Low, p.High) : lr;

    public static double LrOf(TrialRecord t) => Number(t.Params, Lr);
    public static double WeightDecayOf(TrialRecord t) => Number(t.Params, WeightDecay);

    private static double Number(IReadOnlyDictionary<string, object> values, string name) =>
        values.TryGetValue(name, out var v) ? ParameterValue.AsDouble(v) : double.NaN;

    private static object Middle(ParameterSpec p) => p.Kind switch
    {
        ParameterKind.LogUniform => Math.Sqrt(p.Low * p.High),
        ParameterKind.Uniform => (p.Low + p.High) / 2,
        ParameterKind.Int when p.Log => (long)Math.Round(Math.Sqrt(p.Low * p.High)),
        ParameterKind.Int => (long)Math.Round((p.Low + p.High) / 2),
        _ => p.Choices[0],
    };

    /// <summary>The trial a stage asks for, with the stage's own budget: a user's <c>epochs</c> (in params or the search space)
    /// is overridden by the stage's epochs, so it can neither cap a stage (the overfit stage allows 60) nor stretch one.</summary>
    public TrialRequest Request(string stage, Dictionary<string, object> values, int epochs, TrialOptions options)
    {
        if (Spec.Params.ContainsKey(Epochs) || Spec.SearchSpace[Epochs] is not null || values.ContainsKey(Epochs))
            values[Epochs] = (long)epochs;
        return new(Spec.SearchSpace.ActiveOnly(values), epochs, stage, options);
    }

    /// <summary>Epochs a stage trial ran short of its budget for no reason of its own (not pruned, diverged or crashed):
    /// something outside the recipe capped it. Null when it ran them all.</summary>
    public static string? EpochCap(TrialRecord t)
    {
        if (t.MaxEpochs is not { } allowed || t.Options?.MaxIterations is not null || t.Status != TrialStatus.Completed) return null;
        return t.Epochs.Count < allowed
            ? $"trial {t.Number} ran {t.Epochs.Count} of the {allowed} epochs the stage allows: the trainer capped it (params.epochs or its own limit), not the recipe"
            : null;
    }

    public static string Fmt(double v) =>
        double.IsNaN(v) ? "NaN" : v.ToString(Math.Abs(v) is > 0 and < 1e-3 ? "0.##e0" : "0.####", CultureInfo.InvariantCulture);
}
