using System.Numerics;
using System.Runtime.InteropServices;

namespace HpSearch.Workers.Engine.Layers;

/// <summary>max(0, x).</summary>
public sealed class Relu(string name = "relu") : ILayer, IActivation
{
    private Tensor? _y, _dx;

    public string Name { get; } = name;
    public ActivationKind Kind => ActivationKind.Relu;
    public Tensor? LastOutput => _y;

    public Tensor Forward(Tensor x, bool training)
    {
        var y = Tensor.Reuse(ref _y, x.Shape);
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x.Data.AsSpan());
        var yv = MemoryMarshal.Cast<float, Vector<float>>(y.Data.AsSpan());
        for (int i = 0; i < xv.Length; i++) yv[i] = Vector.Max(xv[i], Vector<float>.Zero);
        for (int i = xv.Length * Vector<float>.Count; i < x.Length; i++) y.Data[i] = Math.Max(x.Data[i], 0f);
        return y;
    }

    public Tensor Backward(Tensor dOut)
    {
        var y = _y ?? throw new InvalidOperationException("Backward before Forward.");
        var dx = Tensor.Reuse(ref _dx, y.Shape);
        var yv = MemoryMarshal.Cast<float, Vector<float>>(y.Data.AsSpan());
        var gv = MemoryMarshal.Cast<float, Vector<float>>(dOut.Data.AsSpan());
        var dv = MemoryMarshal.Cast<float, Vector<float>>(dx.Data.AsSpan());
        for (int i = 0; i < yv.Length; i++) dv[i] = Vector.ConditionalSelect(Vector.GreaterThan(yv[i], Vector<float>.Zero), gv[i], Vector<float>.Zero);
        for (int i = yv.Length * Vector<float>.Count; i < y.Length; i++) dx.Data[i] = y.Data[i] > 0 ? dOut.Data[i] : 0f;
        return dx;
    }
}
