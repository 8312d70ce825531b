using HpSearch.Engine.Gemm;

namespace HpSearch.Engine;

/// <summary>Where a model's arithmetic runs: a GEMM backend and a thread count. Work is split into fixed, disjoint
/// output blocks (never over the summed dimension), so the same thread count always gives the same results.</summary>
public sealed unsafe class Compute
{
    private const double MinFlopsPerThread = 1_000_000;

    public Compute(int threads = 1, IGemm? gemm = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
        Gemm = gemm ?? GemmBackends.Resolve();
        _team = threads > 1 ? ThreadTeam.Shared(threads) : null;
    }

    private readonly ThreadTeam? _team;

    public static Compute Default { get; } = new();

    public int Threads { get; }
    public IGemm Gemm { get; }

    /// <summary>C (+)= op(A)·op(B), all row-major and dense (lda/ldb/ldc from the shapes).</summary>
    public void MatMul(bool transA, bool transB, int m, int n, int k, float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset, bool accumulate)
    {
        int lda = transA ? m : k, ldb = transB ? k : n, ldc = n;
        // The kernels take raw pointers: check every extent first, in 64-bit arithmetic, so no size reads past an array.
        if (m < 0 || n < 0 || k < 0 || aOffset < 0 || bOffset < 0 || cOffset < 0
            || (long)m * k > a.Length - (long)aOffset || (long)k * n > b.Length - (long)bOffset || (long)m * n > c.Length - (long)cOffset)
            throw new ArgumentException($"MatMul sizes m={m}, n={n}, k={k} do not fit the arrays ({a.Length}, {b.Length}, {c.Length}).");
        fixed (float* pa = a, pb = b, pc = c)
        {
            float* a0 = pa + aOffset, b0 = pb + bOffset, c0 = pc + cOffset;
            int t = (int)Math.Min(Threads, Math.Max(1, 2.0 * m * n * k / MinFlopsPerThread));
            if (t <= 1)
            {
                Gemm.Multiply(transA, transB, m, n, k, a0, lda, b0, ldb, c0, ldc, accumulate);
                return;
            }
            // Split the wider output dimension in 32-column / 6-row-aligned chunks.
            bool splitN = n / 32 >= t && (n >= m || m / 6 < t);
            nint pA = (nint)a0, pB = (nint)b0, pC = (nint)c0;
            var gemm = Gemm;
            _team!.Run(t, i =>
            {
                float* a1 = (float*)pA, b1 = (float*)pB, c1 = (float*)pC;
                if (splitN)
                {
                    int lo = Chunk(n, 32, t, i), hi = Chunk(n, 32, t, i + 1);
                    gemm.Multiply(transA, transB, m, hi - lo, k, a1, lda, transB ? b1 + lo * ldb : b1 + lo, ldb, c1 + lo, ldc, accumulate);
                }
                else
                {
                    int lo = Chunk(m, 6, t, i), hi = Chunk(m, 6, t, i + 1);
                    gemm.Multiply(transA, transB, hi - lo, n, k, transA ? a1 + lo : a1 + lo * lda, lda, b1, ldb, c1 + lo * ldc, ldc, accumulate);
                }
            });
        }
    }

    /// <summary>Runs <paramref name="body"/>(start, end) over [0, count) in fixed contiguous chunks.</summary>
    public void For(int count, int grain, Action<int, int> body) => Split(count, grain, 1, body);

    /// <summary>Runs <paramref name="body"/>(start, end) over [0, length) of an elementwise loop in fixed, vector-aligned
    /// chunks of at least <paramref name="minChunk"/> elements (one chunk, on this thread, when the loop is short).</summary>
    public void ForRange(int length, int minChunk, Action<int, int> body) => Split(length, minChunk, 64, body);

    private void Split(int count, int grain, int align, Action<int, int> body)
    {
        int t = Math.Min(Threads, Math.Max(1, count / Math.Max(1, grain)));
        if (t <= 1) { body(0, count); return; }
        _team!.Run(t, i => body(Chunk(count, align, t, i), Chunk(count, align, t, i + 1)));
    }

    private static int Chunk(int total, int align, int parts, int index)
    {
        if (index >= parts) return total;
        int units = (total + align - 1) / align;
        return Math.Min(total, (int)((long)units * index / parts) * align);
    }
}
