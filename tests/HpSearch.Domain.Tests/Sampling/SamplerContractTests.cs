using HpSearch.Domain.Experiments;
using HpSearch.Domain.Sampling;
using HpSearch.Domain.Search;

namespace HpSearch.Domain.Tests.Sampling;

/// <summary>What every sampler promises, run once per implementation.</summary>
public class SamplerContractTests
{
    public static TheoryData<string> Samplers => ["random", "grid", "tpe", "tpe-multivariate", "motpe"];

    /// <summary>The samplers that ignore the history (a model-based sampler must not).</summary>
    public static TheoryData<string> HistoryFree => ["random", "grid"];

    private static ISampler Create(string name, int seed = 1) => name switch
    {
        "random" => new RandomSampler(seed),
        "grid" => new GridSampler(4),
        "tpe" => new TpeSampler(new Objective("valAccuracy", true), new TpeOptions(StartupTrials: 5), seed),
        "tpe-multivariate" => new TpeSampler(new Objective("valAccuracy", true), new TpeOptions(StartupTrials: 5, Multivariate: true), seed),
        "motpe" => new TpeSampler([new Objective("valAccuracy", true), new Objective("seconds", false)], new TpeOptions(StartupTrials: 5), seed),
        _ => throw new ArgumentException(name),
    };

    internal static readonly SearchSpace Space = new([
        new ParameterSpec("lr", ParameterKind.LogUniform, 1e-5, 1e-1),
        new ParameterSpec("dropout", ParameterKind.Uniform, 0, 0.5),
        new ParameterSpec("layers", ParameterKind.Int, 1, 4),
        new ParameterSpec("width", ParameterKind.Int, 16, 512, Log: true, Points: 3),
        new ParameterSpec("optimizer", ParameterKind.Categorical, Values: ["sgd", "adam", "rmsprop"]),
        new ParameterSpec("batchSize", ParameterKind.Fixed, Values: [64L]),
    ]);

    private static IEnumerable<IReadOnlyDictionary<string, object>> Draws(ISampler s, int n = 200) =>
        Enumerable.Range(0, n).Select(i => s.Suggest(Space, i, []));

    [Theory, MemberData(nameof(Samplers))]
    public void Suggest_StaysWithinBounds_ForEveryKind(string sampler)
    {
        foreach (var draw in Draws(Create(sampler)))
            foreach (var p in Space.Parameters)
                Assert.True(p.Contains(draw[p.Name]), $"{p.Name} = {draw[p.Name]}");
    }

    [Theory, MemberData(nameof(Samplers))]
    public void Suggest_GivesEveryParameter_AndNothingElse(string sampler)
    {
        var draw = Create(sampler).Suggest(Space, 3, []);
        Assert.Equal(Space.Parameters.Select(p => p.Name).Order(), draw.Keys.Order());
    }

    [Theory, MemberData(nameof(Samplers))]
    public void Suggest_IsDeterministic_ForTheSameSeedAndNumber(string sampler)
    {
        var a = Draws(Create(sampler, 5), 50).ToList();
        var b = Draws(Create(sampler, 5), 50).ToList();
        Assert.Equal(a.Select(Text), b.Select(Text));
    }

    [Theory, MemberData(nameof(HistoryFree))]
    public void Suggest_DoesNotDependOnHistory(string sampler)
    {
        var s = Create(sampler);
        var history = new[] { TestSpecs.Trial(0, TrialStatus.Completed, [0.5]) };
        Assert.Equal(Text(s.Suggest(Space, 7, [])), Text(s.Suggest(Space, 7, history)));
    }

    [Theory, MemberData(nameof(Samplers))]
    public void Suggest_PassesFixedValuesThrough(string sampler)
    {
        Assert.All(Draws(Create(sampler), 30), d => Assert.Equal(64L, d["batchSize"]));
    }

    [Theory, MemberData(nameof(Samplers))]
    public void Suggest_GivesIntsAsWholeNumbers_AndCategoricalsFromTheList(string sampler)
    {
        foreach (var d in Draws(Create(sampler), 100))
        {
            Assert.IsType<long>(d["layers"]);
            Assert.IsType<long>(d["width"]);
            Assert.Contains(d["optimizer"], new object[] { "sgd", "adam", "rmsprop" });
        }
    }

    [Theory, MemberData(nameof(Samplers))]
    public void Suggest_CoversEveryCategory(string sampler)
    {
        var seen = Draws(Create(sampler), 300).Select(d => d["optimizer"]).Distinct().Count();
        Assert.Equal(3, seen);
    }

    /// <summary>A history past any start-up phase: 30 finished trials drawn at random, valued by a smooth function of them,
    /// some pruned, one diverged, two still running.</summary>
    internal static IReadOnlyList<TrialRecord> History()
    {
        var random = new RandomSampler(99);
        return Enumerable.Range(0, 32).Select(i =>
        {
            var p = random.Suggest(Space, i, []);
            var lr = ParameterValue.AsDouble(p["lr"]);
            var value = 0.9 - 0.05 * Math.Pow(Math.Log10(lr) + 3, 2) - 0.1 * ParameterValue.AsDouble(p["dropout"]);
            var status = i switch { >= 30 => TrialStatus.Running, 7 => TrialStatus.Diverged, _ when i % 5 == 0 => TrialStatus.Pruned, _ => TrialStatus.Completed };
            var epochs = status == TrialStatus.Running ? [] : new[] { TestSpecs.Epoch(1, ("valAccuracy", value - 0.1)), TestSpecs.Epoch(2, ("valAccuracy", value), ("seconds", ParameterValue.AsDouble(p["width"]) / 100)) };
            return new TrialRecord(i, status, p, epochs);
        }).ToList();
    }

    [Theory, MemberData(nameof(Samplers))]
    public void Suggest_StaysWithinBoundsAndTypes_WithAHistory(string sampler)
    {
        var history = History();
        var s = Create(sampler);
        foreach (var d in Enumerable.Range(history.Count, 40).Select(i => s.Suggest(Space, i, history)))
        {
            foreach (var p in Space.Parameters) Assert.True(p.Contains(d[p.Name]), $"{p.Name} = {d[p.Name]}");
            Assert.IsType<long>(d["layers"]);
            Assert.IsType<long>(d["width"]);
            Assert.IsType<double>(d["lr"]);
            Assert.Equal(64L, d["batchSize"]);
        }
    }

    [Theory, MemberData(nameof(Samplers))]
    public void Suggest_IsDeterministic_ForTheSameSeedNumberAndHistory(string sampler)
    {
        var history = History();
        Assert.Equal(Text(Create(sampler, 4).Suggest(Space, 40, history)), Text(Create(sampler, 4).Suggest(Space, 40, history)));
    }

    private static string Text(IReadOnlyDictionary<string, object> d) =>
        string.Join(",", d.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={ParameterValue.AsString(kv.Value)}"));
}
