using HpSearch.Engine;
using HpSearch.Engine.Gemm;

namespace HpSearch.Engine.Tests;

public class GemmTests
{
    public static TheoryData<string> Backends()
    {
        var d = new TheoryData<string> { "auto", "openblas" };
        if (ManagedGemm.IsSupported) d.Add("managed");
        if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported) d.Add("managed-avx512");
        if (System.Runtime.Intrinsics.X86.Fma.IsSupported) d.Add("managed-avx2");
        return d;
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void MatMul_MatchesNaiveReference_ForAllTransposesAndOddSizes(string backend)
    {
        var rng = new Random(3);
        foreach (var (m, n, k) in new[] { (1, 1, 1), (7, 33, 5), (13, 70, 300), (64, 10, 128), (50, 97, 260) })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    foreach (bool acc in new[] { false, true })
                        foreach (int threads in new[] { acc ? 2 : 1 })
                        {
                            var a = Rand(rng, m * k); var b = Rand(rng, k * n); var c0 = Rand(rng, m * n);
                            var expected = (float[])c0.Clone(); var actual = (float[])c0.Clone();
                            new Compute(1, new NaiveGemm()).MatMul(ta, tb, m, n, k, a, 0, b, 0, expected, 0, acc);
                            new Compute(threads, GemmBackends.Resolve(backend)).MatMul(ta, tb, m, n, k, a, 0, b, 0, actual, 0, acc);
                            for (int i = 0; i < expected.Length; i++)
                                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * (1 + Math.Sqrt(k)),
                                    $"{backend} {m}x{n}x{k} tA={ta} tB={tb} acc={acc} t={threads} [{i}]: {expected[i]} vs {actual[i]}");
                        }
    }

    [Fact]
    public void MatMul_GivesIdenticalResults_ForOneAndTwoThreads_WithManagedBackend()
    {
        if (!ManagedGemm.IsSupported) return;
        var rng = new Random(4);
        var a = Rand(rng, 128 * 784); var b = Rand(rng, 784 * 256);
        var c1 = new float[128 * 256]; var c2 = new float[128 * 256];
        new Compute(1, new ManagedGemm()).MatMul(false, false, 128, 256, 784, a, 0, b, 0, c1, 0, false);
        new Compute(2, new ManagedGemm()).MatMul(false, false, 128, 256, 784, a, 0, b, 0, c2, 0, false);
        Assert.Equal(c1, c2);
    }

    [Fact]
    public void Resolve_Throws_ForUnknownBackend() =>
        Assert.Throws<ArgumentException>(() => GemmBackends.Resolve("cuda"));

    private static float[] Rand(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
}
