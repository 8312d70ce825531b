namespace HpSearch.Workers.Training.Builtin;

/// <summary>Settings of the built-in engine on this worker.</summary>
public sealed class BuiltinTrainerOptions
{
    /// <summary>Threads one trial's arithmetic uses (deterministic: same seed and thread count ⇒ same metrics).</summary>
    public int Threads { get; set; } = 1;

    /// <summary>GEMM backend: auto, managed, managed-avx512, managed-avx2, openblas, naive (null = auto / HPSEARCH_GEMM).</summary>
    public string? Gemm { get; set; }
}
