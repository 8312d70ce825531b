using System.Runtime.InteropServices;

namespace HpSearch.Engine.Gemm;

/// <summary>OpenBLAS's <c>cblas_sgemm</c> through P/Invoke (Debian's <c>libopenblas0-pthread</c>), kept single-threaded:
/// the engine splits work across its own threads so results do not depend on OpenBLAS's scheduling.
/// Debian's 0.3.21 misreads recent CPUs unless OPENBLAS_CORETYPE names the core type.</summary>
public sealed unsafe class OpenBlasGemm : IGemm
{
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;
    private static readonly Lazy<OpenBlasGemm?> Loaded = new(TryLoad);

    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;

    private OpenBlasGemm(nint sgemm, string coreName)
    {
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
        Name = "openblas-" + coreName;
    }

    public string Name { get; }

    /// <summary>The library, or null when <c>libopenblas.so.0</c> cannot be loaded.</summary>
    public static OpenBlasGemm? Instance => Loaded.Value;

    public void Multiply(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        if (m == 0 || n == 0) return;
        _sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, 1f, a, lda, b, ldb, accumulate ? 1f : 0f, c, ldc);
    }

    private static OpenBlasGemm? TryLoad()
    {
        foreach (var name in new[] { "libopenblas.so.0", "libopenblas.so", "/usr/lib/x86_64-linux-gnu/libopenblas.so.0" })
        {
            if (!NativeLibrary.TryLoad(name, out var lib)) continue;
            if (!NativeLibrary.TryGetExport(lib, "cblas_sgemm", out var sgemm)) continue;
            if (NativeLibrary.TryGetExport(lib, "openblas_set_num_threads", out var setThreads))
                ((delegate* unmanaged<int, void>)setThreads)(1);
            string core = "unknown";
            if (NativeLibrary.TryGetExport(lib, "openblas_get_corename", out var coreName))
                core = Marshal.PtrToStringAnsi(((delegate* unmanaged<nint>)coreName)()) ?? core;
            return new OpenBlasGemm(sgemm, core.ToLowerInvariant());
        }
        return null;
    }
}
