namespace HpSearch.Engine.Gemm;

/// <summary>The reference triple loop (double accumulation): used by tests to check the fast backends, and as the
/// last fallback when the CPU has no vector units .NET can use.</summary>
public sealed unsafe class NaiveGemm : IGemm
{
    public string Name => "naive";

    public void Multiply(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = accumulate ? c[i * ldc + j] : 0;
                for (int p = 0; p < k; p++)
                    s += (double)(transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                c[i * ldc + j] = (float)s;
            }
    }
}
