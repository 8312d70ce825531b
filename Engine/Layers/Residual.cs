namespace HpSearch.Engine.Layers;

/// <summary>y = body(x) + x (He et al. 2016, "Deep Residual Learning"); the body must keep the shape.</summary>
public sealed class Residual(Sequential body, string name = "residual") : ILayer
{
    private Tensor? _y, _dx;

    public string Name { get; } = name;
    public Sequential Body { get; } = body;

    public Tensor Forward(Tensor x, bool training)
    {
        var b = Body.Forward(x, training);
        if (b.Length != x.Length) throw new InvalidOperationException($"{Name}: the body changes the shape.");
        var y = Tensor.Reuse(ref _y, x.Shape);
        var bs = b.Data; var xs = x.Data; var ys = y.Data;
        for (int i = 0; i < ys.Length; i++) ys[i] = bs[i] + xs[i];
        return y;
    }

    public Tensor Backward(Tensor dOut)
    {
        var db = Body.Backward(dOut);
        var dx = Tensor.Reuse(ref _dx, dOut.Shape);
        var a = db.Data; var g = dOut.Data; var d = dx.Data;
        for (int i = 0; i < d.Length; i++) d[i] = a[i] + g[i];
        return dx;
    }

    public IReadOnlyList<Parameter> Parameters() => Body.Parameters();
    public IReadOnlyList<float[]> Buffers() => Body.Buffers();
}
