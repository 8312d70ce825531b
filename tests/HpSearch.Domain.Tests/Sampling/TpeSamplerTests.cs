using HpSearch.Domain.Experiments;
using HpSearch.Domain.Sampling;
using HpSearch.Domain.Search;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Tests.Sampling;

public class TpeSamplerTests
{
    private static readonly Objective Maximize = new("valAccuracy", true);

    private static readonly SearchSpace Space = new([
        new ParameterSpec("lr", ParameterKind.LogUniform, 1e-5, 1e-1),
        new ParameterSpec("dropout", ParameterKind.Uniform, 0, 0.5),
        new ParameterSpec("width", ParameterKind.Int, 16, 512, Log: true),
        new ParameterSpec("optimizer", ParameterKind.Categorical, Values: ["sgd", "adam", "rmsprop"]),
    ]);

    /// <summary>A toy response: best at lr 1e-3, dropout 0.1, width ≈ 128, adam.</summary>
    private static double Score(IReadOnlyDictionary<string, object> p) =>
        1 - 0.08 * Math.Pow(Math.Log10(ParameterValue.AsDouble(p["lr"])) + 3, 2)
          - 0.5 * Math.Pow(ParameterValue.AsDouble(p["dropout"]) - 0.1, 2)
          - 0.02 * Math.Pow(Math.Log2(ParameterValue.AsDouble(p["width"])) - 7, 2)
          - (ParameterValue.AsString(p["optimizer"]) == "adam" ? 0 : 0.1);

    private static TrialRecord Done(int n, IReadOnlyDictionary<string, object> p, TrialStatus status = TrialStatus.Completed, params double[] values) =>
        new(n, status, p, (values.Length == 0 ? [Score(p)] : values).Select((v, i) => TestSpecs.Epoch(i + 1, ("valAccuracy", v))).ToList());

    /// <summary>Runs a sequential sweep of <paramref name="trials"/> trials and returns the best score.</summary>
    private static double Sweep(ISampler sampler, int trials)
    {
        var history = new List<TrialRecord>();
        for (var n = 0; n < trials; n++) history.Add(Done(n, sampler.Suggest(Space, n, history)));
        return history.Max(t => t.BestValue(Maximize)!.Value);
    }

    [Fact]
    public void Suggest_DrawsAtRandom_DuringTheStartupTrials()
    {
        var tpe = new TpeSampler(Maximize, new TpeOptions(StartupTrials: 10), 3);
        var history = Enumerable.Range(0, 9).Select(i => Done(i, new RandomSampler(1).Suggest(Space, i, []))).ToList();
        Assert.Null(tpe.Split(history));
        Assert.NotNull(tpe.Split([.. history, Done(9, new RandomSampler(1).Suggest(Space, 9, []))]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Suggest_FindsBetterConfigurations_ThanRandomSearch_OnTheSameBudget(bool multivariate)
    {
        // Seeded, so deterministic: over ten seeds TPE's mean best beats random search's.
        var seeds = Enumerable.Range(1, 10).ToList();
        var tpe = seeds.Average(s => Sweep(new TpeSampler(Maximize, new TpeOptions(Multivariate: multivariate), s), 40));
        var random = seeds.Average(s => Sweep(new RandomSampler(s), 40));
        Assert.True(tpe > random, $"tpe {tpe:F4} vs random {random:F4}");
    }

    [Fact]
    public void Suggest_ConcentratesNearTheGoodTrials()
    {
        var random = new RandomSampler(5);
        var history = Enumerable.Range(0, 40).Select(i => Done(i, random.Suggest(Space, i, []))).ToList();
        var tpe = new TpeSampler(Maximize, TpeOptions.Default, 5);
        var lrs = Enumerable.Range(40, 30).Select(n => Math.Log10(ParameterValue.AsDouble(tpe.Suggest(Space, n, history)["lr"]))).ToList();
        // Random search puts 40 % of lr draws within a decade of the optimum (1e-3); TPE should put most there.
        Assert.True(lrs.Count(x => Math.Abs(x + 3) <= 1) >= 20, string.Join(", ", lrs.Select(x => x.ToString("F2"))));
    }

    [Fact]
    public void Rank_PutsCompletedFirst_ThenPrunedByDepthAndLastValue_ThenDiverged()
    {
        var p = new RandomSampler(1).Suggest(Space, 0, []);
        var history = new[]
        {
            Done(0, p, TrialStatus.Pruned, 0.5, 0.6),
            Done(1, p, TrialStatus.Completed, 0.7),
            Done(2, p, TrialStatus.Pruned, 0.9),
            Done(3, p, TrialStatus.Diverged, double.NaN),
            Done(4, p, TrialStatus.Completed, 0.8, 0.75),
            Done(5, p, TrialStatus.Pruned, 0.5, 0.65),
            Done(6, p, TrialStatus.Failed, 0.99),
            new TrialRecord(7, TrialStatus.Running, p, []),
        };
        var ranked = new TpeSampler(Maximize, TpeOptions.Default, 1).Rank(history);
        // Completed by best value (4: 0.8, 1: 0.7); pruned at epoch 2 by their last value (5: 0.65, 0: 0.6), then the one
        // pruned at epoch 1 however good its value; the diverged one last; failed and running trials are not ranked.
        Assert.Equal([4, 1, 5, 0, 2, 3], ranked.Select(t => t.Number));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Split_CountsQueuedAndRunningTrialsAsTheWorst_OnlyWithTheConstantLiar(bool liar)
    {
        var random = new RandomSampler(2);
        var history = Enumerable.Range(0, 12).Select(i => Done(i, random.Suggest(Space, i, [])))
            .Append(new TrialRecord(12, TrialStatus.Running, random.Suggest(Space, 12, []), []))
            .Append(new TrialRecord(13, TrialStatus.Queued, random.Suggest(Space, 13, []), [])).ToList();
        var (good, bad) = new TpeSampler(Maximize, new TpeOptions(ConstantLiar: liar), 1).Split(history)!.Value;
        Assert.Equal(liar, bad.Any(t => t.Number == 12) && bad.Any(t => t.Number == 13));
        Assert.DoesNotContain(good, t => t.Status is TrialStatus.Running or TrialStatus.Queued);
        Assert.Equal(2, good.Count); // ⌈0.1 · 14⌉ with the liar, ⌈0.1 · 12⌉ without
    }

    [Fact]
    public void Next_SuggestsDifferentPoints_ForTrialsStartedTogether()
    {
        var spec = TestSpecs.Spec(maxTrials: 30, strategy: """{ "kind": "tpe", "seed": 4, "tpe": { "startupTrials": 5 } }""");
        var strategy = HpSearch.Domain.Strategies.Strategies.Create(spec);
        var random = new RandomSampler(8);
        var history = Enumerable.Range(0, 10).Select(i =>
        {
            var p = random.Suggest(spec.SearchSpace, i, []);
            return Done(i, p, TrialStatus.Completed, 1 - Math.Abs(Math.Log10(ParameterValue.AsDouble(p["lr"])) + 3));
        }).ToList();
        var batch = strategy.Next(spec, history, 6).NewTrials;
        Assert.Equal(6, batch.Count);
        Assert.Equal(6, batch.Select(r => ParameterValue.AsString(r.Params["lr"])).Distinct().Count());
    }

    [Fact]
    public void Suggest_IsReproducible_ForTheSameSeedAndHistory_AndDiffersAcrossSeeds()
    {
        var random = new RandomSampler(5);
        var history = Enumerable.Range(0, 20).Select(i => Done(i, random.Suggest(Space, i, []))).ToList();
        string Draw(int seed) => string.Join(",", new TpeSampler(Maximize, TpeOptions.Default, seed).Suggest(Space, 20, history).Values.Select(ParameterValue.AsString));
        Assert.Equal(Draw(1), Draw(1));
        Assert.NotEqual(Draw(1), Draw(2));
    }
}
