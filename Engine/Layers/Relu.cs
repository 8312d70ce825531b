using System.Numerics;
using System.Runtime.InteropServices;

namespace HpSearch.Engine.Layers;

/// <summary>max(0, x), split across the compute's threads on large tensors (a memory-bound loop).</summary>
public sealed class Relu(string name = "relu", Compute? compute = null) : ILayer, IActivation
{
    private const int MinChunk = 65_536;
    private readonly Compute _compute = compute ?? Compute.Default;
    private Tensor? _y, _dx;

    public string Name { get; } = name;
    public ActivationKind Kind => ActivationKind.Relu;
    public Tensor? LastOutput => _y;

    public Tensor Forward(Tensor x, bool training)
    {
        var y = Tensor.Reuse(ref _y, x.Shape);
        _compute.ForRange(x.Length, MinChunk, (lo, hi) => Forward(x.Data.AsSpan(lo, hi - lo), y.Data.AsSpan(lo, hi - lo)));
        return y;
    }

    public Tensor Backward(Tensor dOut)
    {
        var y = _y ?? throw new InvalidOperationException("Backward before Forward.");
        var dx = Tensor.Reuse(ref _dx, y.Shape);
        _compute.ForRange(y.Length, MinChunk, (lo, hi) =>
            Backward(y.Data.AsSpan(lo, hi - lo), dOut.Data.AsSpan(lo, hi - lo), dx.Data.AsSpan(lo, hi - lo)));
        return dx;
    }

    private static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
        for (int i = 0; i < xv.Length; i++) yv[i] = Vector.Max(xv[i], Vector<float>.Zero);
        for (int i = xv.Length * Vector<float>.Count; i < x.Length; i++) y[i] = Math.Max(x[i], 0f);
    }

    private static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx)
    {
        var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
        var gv = MemoryMarshal.Cast<float, Vector<float>>(g);
        var dv = MemoryMarshal.Cast<float, Vector<float>>(dx);
        for (int i = 0; i < yv.Length; i++) dv[i] = Vector.ConditionalSelect(Vector.GreaterThan(yv[i], Vector<float>.Zero), gv[i], Vector<float>.Zero);
        for (int i = yv.Length * Vector<float>.Count; i < y.Length; i++) dx[i] = y[i] > 0 ? g[i] : 0f;
    }
}
