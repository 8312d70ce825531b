using System.Numerics;
using System.Runtime.InteropServices;

namespace HpSearch.Workers.Engine.Layers;

/// <summary>Max pooling over k×k windows with a stride (default 2×2, stride 2) on [N, H, W, C]; the gradient goes to
/// each window's maximum (the first one in row-major window order on ties). Vectorised across channels.</summary>
public sealed class MaxPool2d(int kernel = 2, int stride = 2, string name = "maxpool") : ILayer
{
    private Tensor? _x, _y, _dx;

    public string Name { get; } = name;

    public Tensor Forward(Tensor x, bool training)
    {
        int n = x.Shape[0], h = x.Shape[1], w = x.Shape[2], c = x.Shape[3];
        int oh = (h - kernel) / stride + 1, ow = (w - kernel) / stride + 1;
        _x = x;
        var y = Tensor.Reuse(ref _y, n, oh, ow, c);
        var xs = x.Data; var ys = y.Data;
        for (int i = 0; i < n; i++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    var dst = ys.AsSpan(((i * oh + oy) * ow + ox) * c, c);
                    for (int ky = 0; ky < kernel; ky++)
                        for (int kx = 0; kx < kernel; kx++)
                        {
                            var src = xs.AsSpan(((i * h + oy * stride + ky) * w + ox * stride + kx) * c, c);
                            if (ky == 0 && kx == 0) src.CopyTo(dst);
                            else Max(src, dst);
                        }
                }
        return y;
    }

    public Tensor Backward(Tensor dOut)
    {
        var x = _x ?? throw new InvalidOperationException("Backward before Forward.");
        int n = x.Shape[0], h = x.Shape[1], w = x.Shape[2], c = x.Shape[3];
        int oh = _y!.Shape[1], ow = _y.Shape[2];
        var dx = Tensor.Reuse(ref _dx, x.Shape);
        Array.Clear(dx.Data);
        var taken = new float[c];
        for (int i = 0; i < n; i++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    int o = ((i * oh + oy) * ow + ox) * c;
                    var y = _y.Data.AsSpan(o, c); var g = dOut.Data.AsSpan(o, c);
                    Array.Clear(taken);
                    for (int ky = 0; ky < kernel; ky++)
                        for (int kx = 0; kx < kernel; kx++)
                        {
                            int s = ((i * h + oy * stride + ky) * w + ox * stride + kx) * c;
                            Route(x.Data.AsSpan(s, c), y, g, dx.Data.AsSpan(s, c), taken);
                        }
                }
        return dx;
    }

    private static void Max(ReadOnlySpan<float> src, Span<float> dst)
    {
        var vs = MemoryMarshal.Cast<float, Vector<float>>(src);
        var vd = MemoryMarshal.Cast<float, Vector<float>>(dst);
        for (int i = 0; i < vs.Length; i++) vd[i] = Vector.Max(vs[i], vd[i]);
        for (int i = vs.Length * Vector<float>.Count; i < src.Length; i++) dst[i] = Math.Max(src[i], dst[i]);
    }

    /// <summary>dx += g where x equals the window max and no earlier position took it (taken marks channels done).</summary>
    private static void Route(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx, Span<float> taken)
    {
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
        var vg = MemoryMarshal.Cast<float, Vector<float>>(g);
        var vd = MemoryMarshal.Cast<float, Vector<float>>(dx);
        var vt = MemoryMarshal.Cast<float, Vector<float>>(taken);
        for (int i = 0; i < vx.Length; i++)
        {
            var hit = Vector.Equals(vx[i], vy[i]) & Vector.Equals(vt[i], Vector<float>.Zero);
            vd[i] += Vector.ConditionalSelect(hit, vg[i], Vector<float>.Zero);
            vt[i] = Vector.ConditionalSelect(hit, Vector<float>.One, vt[i]);
        }
        for (int i = vx.Length * Vector<float>.Count; i < x.Length; i++)
            if (taken[i] == 0 && x[i] == y[i]) { dx[i] += g[i]; taken[i] = 1; }
    }
}
