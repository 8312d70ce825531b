using System.Numerics;
using System.Runtime.InteropServices;

namespace HpSearch.Engine;

/// <summary>Small vectorised loops shared by layers and optimizers.</summary>
public static class VectorOps
{
    /// <summary>sums[j] += Σ_i m[i, j] for a row-major rows×cols matrix (fixed summation order).</summary>
    public static void AddColumnSums(ReadOnlySpan<float> m, int rows, int cols, Span<float> sums)
    {
        for (int i = 0; i < rows; i++) Add(m.Slice(i * cols, cols), sums);
    }

    /// <summary>y += x.</summary>
    public static void Add(ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
            var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
            for (int v = 0; v < vx.Length && v < vy.Length; v++) vy[v] += vx[v];
            i = Math.Min(vx.Length, vy.Length) * Vector<float>.Count;
        }
        for (; i < x.Length; i++) y[i] += x[i];
    }

    /// <summary>y += a·x.</summary>
    public static void AddScaled(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
            var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
            for (int v = 0; v < vx.Length; v++) vy[v] += a * vx[v];
            i = vx.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++) y[i] += a * x[i];
    }

    /// <summary>Σx², accumulated in float vectors per block of 4096 and in double across blocks.</summary>
    public static double SumOfSquares(ReadOnlySpan<float> x)
    {
        double total = 0;
        for (int start = 0; start < x.Length; start += 4096)
        {
            var block = x.Slice(start, Math.Min(4096, x.Length - start));
            var vb = MemoryMarshal.Cast<float, Vector<float>>(block);
            var acc = Vector<float>.Zero;
            foreach (var v in vb) acc += v * v;
            double s = Vector.Sum(acc);
            for (int i = vb.Length * Vector<float>.Count; i < block.Length; i++) s += (double)block[i] * block[i];
            total += s;
        }
        return total;
    }

    /// <summary>x ← a·x.</summary>
    public static void Scale(float a, Span<float> x)
    {
        for (int i = 0; i < x.Length; i++) x[i] *= a;
    }
}
