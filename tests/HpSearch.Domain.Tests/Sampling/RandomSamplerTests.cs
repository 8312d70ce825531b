using HpSearch.Domain.Sampling;
using HpSearch.Domain.Search;

namespace HpSearch.Domain.Tests.Sampling;

public class RandomSamplerTests
{
    private static readonly ParameterSpec Lr = new("lr", ParameterKind.LogUniform, 1e-6, 1e-2);

    [Fact]
    public void Suggest_DiffersBetweenSeeds()
    {
        var a = new RandomSampler(1).Suggest(SamplerContractTests.Space, 0, []);
        var b = new RandomSampler(2).Suggest(SamplerContractTests.Space, 0, []);
        Assert.NotEqual(a["lr"], b["lr"]);
    }

    [Fact]
    public void Suggest_DiffersBetweenTrials()
    {
        var s = new RandomSampler(1);
        Assert.Equal(50, Enumerable.Range(0, 50).Select(i => s.Suggest(SamplerContractTests.Space, i, [])["lr"]).Distinct().Count());
    }

    [Fact]
    public void Draw_IsEvenlySpreadInLogSpace_WhenLogUniform()
    {
        // 10^U(-6, -2): each of the four decades gets about a quarter of the draws (uniform would put ~90% in the top one).
        var rng = new Random(3);
        var counts = new int[4];
        const int n = 8000;
        for (var i = 0; i < n; i++)
        {
            var v = (double)RandomSampler.Draw(Lr, rng);
            counts[Math.Clamp((int)Math.Floor(Math.Log10(v) + 6), 0, 3)]++;
        }
        Assert.All(counts, c => Assert.InRange(c, n / 4 * 0.9, n / 4 * 1.1));
    }

    [Fact]
    public void Draw_HasTheMeanOfLog10_AtTheMiddleOfTheDecades()
    {
        var rng = new Random(4);
        var mean = Enumerable.Range(0, 5000).Average(_ => Math.Log10((double)RandomSampler.Draw(Lr, rng)));
        Assert.InRange(mean, -4.05, -3.95);
    }

    [Fact]
    public void Draw_CoversTheWholeIntRange_IncludingBothEnds()
    {
        var p = new ParameterSpec("n", ParameterKind.Int, 1, 4);
        var rng = new Random(5);
        Assert.Equal([1L, 2L, 3L, 4L], Enumerable.Range(0, 400).Select(_ => (long)RandomSampler.Draw(p, rng)).Distinct().Order());
    }

    [Fact]
    public void Draw_FavoursSmallValues_WhenLogInt()
    {
        var p = new ParameterSpec("width", ParameterKind.Int, 1, 1000, Log: true);
        var rng = new Random(6);
        var below32 = Enumerable.Range(0, 4000).Count(_ => (long)RandomSampler.Draw(p, rng) < 32);
        Assert.InRange(below32 / 4000.0, 0.4, 0.6); // log10(32)/log10(1001) ≈ 0.5
    }

    [Fact]
    public void Size_IsUnbounded()
    {
        Assert.Null(new RandomSampler(0).Size(SamplerContractTests.Space));
    }
}
