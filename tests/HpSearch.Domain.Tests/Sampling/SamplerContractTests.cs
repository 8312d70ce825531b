using HpSearch.Domain.Experiments;
using HpSearch.Domain.Sampling;
using HpSearch.Domain.Search;

namespace HpSearch.Domain.Tests.Sampling;

/// <summary>What every sampler promises, run once per implementation.</summary>
public class SamplerContractTests
{
    public static TheoryData<string> Samplers => ["random", "grid"];

    private static ISampler Create(string name, int seed = 1) => name switch
    {
        "random" => new RandomSampler(seed),
        "grid" => new GridSampler(4),
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

    [Theory, MemberData(nameof(Samplers))]
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

    private static string Text(IReadOnlyDictionary<string, object> d) =>
        string.Join(",", d.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={ParameterValue.AsString(kv.Value)}"));
}
