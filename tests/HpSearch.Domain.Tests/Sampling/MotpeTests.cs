using HpSearch.Domain.Experiments;
using HpSearch.Domain.Sampling;
using HpSearch.Domain.Search;

namespace HpSearch.Domain.Tests.Sampling;

/// <summary>TPE with several objectives (MOTPE): the good group is the front region.</summary>
public class MotpeTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly IReadOnlyList<Objective> Objectives = [new("f1", false), new("f2", false)];

    private static readonly SearchSpace Space = new([
        new ParameterSpec("x", ParameterKind.Uniform, 0, 1),
        new ParameterSpec("y", ParameterKind.Uniform, 0, 1),
    ]);

    /// <summary>Two conflicting objectives whose Pareto set is the line x = 0.8 (y trades f1 against f2).</summary>
    private static TrialRecord Evaluate(int n, IReadOnlyDictionary<string, object> p)
    {
        var x = ParameterValue.AsDouble(p["x"]);
        var y = ParameterValue.AsDouble(p["y"]);
        var off = 4 * Math.Pow(x - 0.8, 2);
        return new TrialRecord(n, TrialStatus.Completed, p, [TestSpecs.Epoch(1, ("f1", off + y), ("f2", off + 1 - y))]);
    }

    private static List<TrialRecord> RandomHistory(int count, int seed)
    {
        var random = new RandomSampler(seed);
        return Enumerable.Range(0, count).Select(n => Evaluate(n, random.Suggest(Space, n, []))).ToList();
    }

    private static double MeanDistanceFromFront(ISampler sampler, IReadOnlyList<TrialRecord> history) =>
        Enumerable.Range(history.Count, 40).Average(n => Math.Abs(ParameterValue.AsDouble(sampler.Suggest(Space, n, history)["x"]) - 0.8));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Suggest_PrefersTheFrontRegion_OverRandomSearch(int seed)
    {
        var history = RandomHistory(40, seed);
        var motpe = MeanDistanceFromFront(new TpeSampler(Objectives, new TpeOptions(Gamma: 0.25), seed), history);
        var random = MeanDistanceFromFront(new RandomSampler(seed + 100), history);
        Assert.True(motpe < 0.6 * random, $"motpe {motpe:F3} vs random {random:F3}");
    }

    /// <summary>The hypervolume (reference point (2, 2)) of the front after a sequential sweep of <paramref name="trials"/>.</summary>
    private static double SweepHypervolume(ISampler sampler, int trials)
    {
        var history = new List<TrialRecord>();
        for (var n = 0; n < trials; n++) history.Add(Evaluate(n, sampler.Suggest(Space, n, history)));
        var front = HpSearch.Domain.Strategies.ParetoFront.Of(history, Objectives);
        return Hypervolume.Of(front.Select(m => (IReadOnlyList<double>)m.Values.ToArray()).ToList(), [2.0, 2.0]);
    }

    [Fact]
    public void Suggest_FindsALargerHypervolume_ThanRandomSearch_OnTheSameBudget()
    {
        // Seeded, so deterministic: over ten seeds MOTPE's mean hypervolume beats random search's.
        var seeds = Enumerable.Range(1, 10).ToList();
        var motpe = seeds.Average(s => SweepHypervolume(new TpeSampler(Objectives, TpeOptions.Default, s), 40));
        var random = seeds.Average(s => SweepHypervolume(new RandomSampler(s), 40));
        output.WriteLine($"{{\"trials\": 40, \"seeds\": 10, \"motpeHypervolume\": {motpe:F4}, \"randomHypervolume\": {random:F4}}}");
        Assert.True(motpe > random, $"motpe {motpe:F4} vs random {random:F4}");
    }

    [Fact]
    public void Suggest_IsDeterministic_ForTheSameSeedAndHistory()
    {
        var history = RandomHistory(30, 5);
        var a = new TpeSampler(Objectives, TpeOptions.Default, 9).Suggest(Space, 30, history);
        var b = new TpeSampler(Objectives, TpeOptions.Default, 9).Suggest(Space, 30, history);
        var c = new TpeSampler(Objectives, TpeOptions.Default, 10).Suggest(Space, 30, history);
        Assert.Equal(a["x"], b["x"]);
        Assert.Equal(a["y"], b["y"]);
        Assert.NotEqual(a["x"], c["x"]);
    }

    [Fact]
    public void Rank_PutsTheFrontFirst_ThenByHypervolumeContribution()
    {
        // Front: 0 (isolated corner), 1 and 2 (crowded together); 3 is dominated by 1.
        TrialRecord T(int n, double f1, double f2) =>
            new(n, TrialStatus.Completed, new Dictionary<string, object>(), [TestSpecs.Epoch(1, ("f1", f1), ("f2", f2))]);
        var history = new[] { T(3, 0.5, 0.5), T(1, 0.3, 0.4), T(2, 0.31, 0.39), T(0, 0.0, 1.0) };
        var ranked = new TpeSampler(Objectives, TpeOptions.Default, 1).Rank(history).Select(t => t.Number).ToList();
        Assert.Equal(3, ranked[^1]);
        Assert.Equal(0, ranked[0]);
        Assert.Equal([1, 2], ranked.Skip(1).Take(2).Order());
    }

    [Fact]
    public void Rank_PutsTrialsMissingAnObjective_AfterThoseWithAll()
    {
        var history = RandomHistory(12, 3);
        var partial = new TrialRecord(12, TrialStatus.Completed, history[0].Params, [TestSpecs.Epoch(1, ("f1", -5.0))]);
        var ranked = new TpeSampler(Objectives, TpeOptions.Default, 1).Rank([partial, .. history]);
        Assert.Equal(12, ranked[^1].Number);
    }
}
