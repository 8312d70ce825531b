namespace HpSearch.Engine.Gemm;

/// <summary>Picks a GEMM backend by name: "managed" (AVX-512 or AVX2/FMA by run-time detection), "openblas",
/// "naive", or "auto" (HPSEARCH_GEMM overrides; default managed SIMD, measured fastest here, see docs/performance.md).</summary>
public static class GemmBackends
{
    public static IGemm Resolve(string? name = null)
    {
        name ??= Environment.GetEnvironmentVariable("HPSEARCH_GEMM");
        return (name ?? "auto").ToLowerInvariant() switch
        {
            "auto" or "" => ManagedGemm.IsSupported ? new ManagedGemm() : OpenBlasGemm.Instance ?? (IGemm)new NaiveGemm(),
            "managed" => ManagedGemm.IsSupported ? new ManagedGemm() : new NaiveGemm(),
            "managed-avx512" => new ManagedGemm(512),
            "managed-avx2" => new ManagedGemm(256),
            // Falls back cleanly when the library is absent.
            "openblas" => (IGemm?)OpenBlasGemm.Instance ?? (ManagedGemm.IsSupported ? new ManagedGemm() : new NaiveGemm()),
            "naive" => new NaiveGemm(),
            _ => throw new ArgumentException($"Unknown GEMM backend '{name}' (auto, managed, managed-avx512, managed-avx2, openblas, naive)."),
        };
    }
}
