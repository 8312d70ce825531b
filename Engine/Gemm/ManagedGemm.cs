using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HpSearch.Engine.Gemm;

/// <summary>Packed, register-blocked GEMM in managed SIMD (the Goto/BLIS loop order: K blocks, packed B panels,
/// A read in place (packed when transposed), a 6×32 AVX-512 or 6×16 AVX2/FMA micro-kernel). Chooses the widest unit at run time.</summary>
public sealed unsafe class ManagedGemm : IGemm
{
    private const int Mr = 6, MaxKc = 384, Mc = 120;

    [ThreadStatic] private static float[]? t_packA;
    [ThreadStatic] private static float[]? t_packB;

    private readonly int _nr;

    /// <param name="width">512, 256, or 0 for the best the CPU supports.</param>
    public ManagedGemm(int width = 0)
    {
        if (width == 0) width = Avx512F.IsSupported && Vector512.IsHardwareAccelerated ? 512 : Fma.IsSupported && Avx.IsSupported ? 256 : 0;
        if (width == 512 && !Avx512F.IsSupported) throw new PlatformNotSupportedException("AVX-512F is not available.");
        if (width == 256 && !(Fma.IsSupported && Avx.IsSupported)) throw new PlatformNotSupportedException("AVX2/FMA is not available.");
        if (width is not (512 or 256)) throw new PlatformNotSupportedException("No usable vector unit.");
        _nr = width == 512 ? 32 : 16;
        Name = width == 512 ? "managed-avx512" : "managed-avx2";
    }

    public string Name { get; }

    public static bool IsSupported => (Avx512F.IsSupported && Vector512.IsHardwareAccelerated) || (Fma.IsSupported && Avx.IsSupported);

    public void Multiply(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) for (int i = 0; i < m; i++) new Span<float>(c + i * ldc, n).Clear();
            return;
        }
        int nr = _nr;
        int nPanels = (n + nr - 1) / nr;
        // A is read in place (6 row pointers, or 6 adjacent columns when transposed); only B is packed.
        int rowStride = transA ? 1 : lda, kStride = transA ? lda : 1;
        // Equal K blocks of at most MaxKc (a packed 32-wide B panel of ≤ 48 KB stays in L1): K = 288 is one block.
        int blocks = (k + MaxKc - 1) / MaxKc, kBlock = (k + blocks - 1) / blocks;
        var packB = Grow(ref t_packB, nPanels * nr * kBlock);
        var packA = Grow(ref t_packA, transA ? Math.Min(m, Mc) * kBlock : 1);
        Span<float> tile = stackalloc float[Mr * 32];
        fixed (float* pb0 = packB, pa0 = packA, pt = tile)
        {
            for (int k0 = 0; k0 < k; k0 += kBlock)
            {
                int kc = Math.Min(kBlock, k - k0);
                bool acc = accumulate || k0 > 0;
                for (int q = 0; q < nPanels; q++)
                    PackB(transB, b, ldb, k0, kc, q * nr, Math.Min(nr, n - q * nr), nr, pb0 + q * kc * nr);
                for (int i0 = 0; i0 < m; i0 += Mc)
                {
                    int mc = Math.Min(Mc, m - i0);
                    // A transposed is packed (else each 6-row panel would stream all of A with a large stride);
                    // row-major A is read in place, its 6 rows being sequential streams.
                    float* aBase = a + i0 * rowStride + k0 * kStride;
                    int rs = rowStride, ks = kStride;
                    if (transA)
                    {
                        for (int p = 0; p < kc; p++)
                            Buffer.MemoryCopy(a + (k0 + p) * lda + i0, pa0 + p * mc, mc * 4L, mc * 4L);
                        aBase = pa0; rs = 1; ks = mc;
                    }
                    for (int q = 0; q < nPanels; q++)
                    {
                        int j0 = q * nr, nb = Math.Min(nr, n - j0);
                        float* pb = pb0 + q * kc * nr;
                        for (int r0 = 0; r0 < mc; r0 += Mr)
                        {
                            int mb = Math.Min(Mr, mc - r0);
                            float* aBlock = aBase + r0 * rs;
                            float* cTile = c + (i0 + r0) * ldc + j0;
                            if (mb == Mr && nb == nr)
                                Kernel(kc, aBlock, rs, ks, Mr, pb, cTile, ldc, acc);
                            else
                            {
                                Kernel(kc, aBlock, rs, ks, mb, pb, pt, nr, false);
                                for (int r = 0; r < mb; r++)
                                    for (int j = 0; j < nb; j++)
                                        cTile[r * ldc + j] = (acc ? cTile[r * ldc + j] : 0f) + pt[r * nr + j];
                            }
                        }
                    }
                }
            }
        }
    }

    private void Kernel(int kc, float* a, int rs, int ks, int rows, float* pb, float* c, int ldc, bool acc)
    {
        // Rows past the edge re-read the last valid row; their results land in the scratch tile and are dropped.
        float* a0 = a, a1 = a + Math.Min(1, rows - 1) * rs, a2 = a + Math.Min(2, rows - 1) * rs;
        float* a3 = a + Math.Min(3, rows - 1) * rs, a4 = a + Math.Min(4, rows - 1) * rs, a5 = a + Math.Min(5, rows - 1) * rs;
        if (_nr == 32) Kernel512(kc, a0, a1, a2, a3, a4, a5, ks, pb, c, ldc, acc);
        else Kernel256(kc, a0, a1, a2, a3, a4, a5, ks, pb, c, ldc, acc);
    }

    private static float[] Grow(ref float[]? buffer, int size)
    {
        if (buffer is null || buffer.Length < size) buffer = GC.AllocateUninitializedArray<float>(size, pinned: true);
        return buffer;
    }

    private static void PackB(bool transB, float* b, int ldb, int k0, int kc, int col0, int cols, int nr, float* dst)
    {
        if (!transB && cols == nr)
        {
            // Rows of 16 or 32 floats: vector moves (a Buffer.MemoryCopy call per 64–128 bytes cost more than the copy).
            float* src = b + k0 * ldb + col0;
            if (nr == 32)
                for (int p = 0; p < kc; p++, src += ldb, dst += 32)
                {
                    Vector512.Store(Vector512.Load(src), dst);
                    Vector512.Store(Vector512.Load(src + 16), dst + 16);
                }
            else
                for (int p = 0; p < kc; p++, src += ldb, dst += 16)
                {
                    Vector256.Store(Vector256.Load(src), dst);
                    Vector256.Store(Vector256.Load(src + 8), dst + 8);
                }
            return;
        }
        if (transB)
        {
            for (int j = 0; j < nr; j++)
            {
                if (j < cols)
                {
                    float* src = b + (col0 + j) * ldb + k0;
                    for (int p = 0; p < kc; p++) dst[p * nr + j] = src[p];
                }
                else
                    for (int p = 0; p < kc; p++) dst[p * nr + j] = 0f;
            }
            return;
        }
        for (int p = 0; p < kc; p++)
        {
            float* d = dst + p * nr;
            for (int j = 0; j < nr; j++)
                d[j] = j < cols ? b[(k0 + p) * ldb + col0 + j] : 0f;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512(int kc, float* a0, float* a1, float* a2, float* a3, float* a4, float* a5, int ks, float* pb, float* c, int ldc, bool acc)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(pb);
            var b1 = Vector512.Load(pb + 16);
            var a = Vector512.Create(a0[p * ks]); c00 = Avx512F.FusedMultiplyAdd(a, b0, c00); c01 = Avx512F.FusedMultiplyAdd(a, b1, c01);
            a = Vector512.Create(a1[p * ks]); c10 = Avx512F.FusedMultiplyAdd(a, b0, c10); c11 = Avx512F.FusedMultiplyAdd(a, b1, c11);
            a = Vector512.Create(a2[p * ks]); c20 = Avx512F.FusedMultiplyAdd(a, b0, c20); c21 = Avx512F.FusedMultiplyAdd(a, b1, c21);
            a = Vector512.Create(a3[p * ks]); c30 = Avx512F.FusedMultiplyAdd(a, b0, c30); c31 = Avx512F.FusedMultiplyAdd(a, b1, c31);
            a = Vector512.Create(a4[p * ks]); c40 = Avx512F.FusedMultiplyAdd(a, b0, c40); c41 = Avx512F.FusedMultiplyAdd(a, b1, c41);
            a = Vector512.Create(a5[p * ks]); c50 = Avx512F.FusedMultiplyAdd(a, b0, c50); c51 = Avx512F.FusedMultiplyAdd(a, b1, c51);
            pb += 32;
        }
        Store512(c, acc, c00, c01); c += ldc;
        Store512(c, acc, c10, c11); c += ldc;
        Store512(c, acc, c20, c21); c += ldc;
        Store512(c, acc, c30, c31); c += ldc;
        Store512(c, acc, c40, c41); c += ldc;
        Store512(c, acc, c50, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(float* c, bool acc, Vector512<float> v0, Vector512<float> v1)
    {
        if (acc) { v0 += Vector512.Load(c); v1 += Vector512.Load(c + 16); }
        v0.Store(c); v1.Store(c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel256(int kc, float* a0, float* a1, float* a2, float* a3, float* a4, float* a5, int ks, float* pb, float* c, int ldc, bool acc)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(pb);
            var b1 = Vector256.Load(pb + 8);
            var a = Vector256.Create(a0[p * ks]); c00 = Fma.MultiplyAdd(a, b0, c00); c01 = Fma.MultiplyAdd(a, b1, c01);
            a = Vector256.Create(a1[p * ks]); c10 = Fma.MultiplyAdd(a, b0, c10); c11 = Fma.MultiplyAdd(a, b1, c11);
            a = Vector256.Create(a2[p * ks]); c20 = Fma.MultiplyAdd(a, b0, c20); c21 = Fma.MultiplyAdd(a, b1, c21);
            a = Vector256.Create(a3[p * ks]); c30 = Fma.MultiplyAdd(a, b0, c30); c31 = Fma.MultiplyAdd(a, b1, c31);
            a = Vector256.Create(a4[p * ks]); c40 = Fma.MultiplyAdd(a, b0, c40); c41 = Fma.MultiplyAdd(a, b1, c41);
            a = Vector256.Create(a5[p * ks]); c50 = Fma.MultiplyAdd(a, b0, c50); c51 = Fma.MultiplyAdd(a, b1, c51);
            pb += 16;
        }
        Store256(c, acc, c00, c01); c += ldc;
        Store256(c, acc, c10, c11); c += ldc;
        Store256(c, acc, c20, c21); c += ldc;
        Store256(c, acc, c30, c31); c += ldc;
        Store256(c, acc, c40, c41); c += ldc;
        Store256(c, acc, c50, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256(float* c, bool acc, Vector256<float> v0, Vector256<float> v1)
    {
        if (acc) { v0 += Vector256.Load(c); v1 += Vector256.Load(c + 8); }
        v0.Store(c); v1.Store(c + 8);
    }
}
