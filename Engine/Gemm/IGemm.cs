namespace HpSearch.Engine.Gemm;

/// <summary>Single-precision matrix product C (+)= op(A)·op(B) on row-major data, one thread (the caller splits work).
/// op(A) is m×k (A stored k×m when <c>transA</c>), op(B) is k×n (B stored n×k when <c>transB</c>).</summary>
public unsafe interface IGemm
{
    string Name { get; }

    void Multiply(bool transA, bool transB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate);
}
