using System.Numerics;

namespace HpSearch.Engine.Layers;

/// <summary>Max pooling over k×k windows with a stride (default 2×2, stride 2) on [N, H, W, C]; the gradient goes to
/// each window's maximum (the first one in row-major window order on ties). Vectorised across channels, split
/// across the compute's threads by image.</summary>
public sealed unsafe class MaxPool2d(int kernel = 2, int stride = 2, string name = "maxpool", Compute? compute = null) : ILayer
{
    private readonly Compute _compute = compute ?? Compute.Default;
    private Tensor? _x, _y, _dx;

    public string Name { get; } = name;

    public Tensor Forward(Tensor x, bool training)
    {
        if (x.Shape.Length != 4) throw new ArgumentException($"MaxPool2d takes [N, H, W, C]; got [{string.Join(",", x.Shape)}].");
        int n = x.Shape[0], h = x.Shape[1], w = x.Shape[2], c = x.Shape[3];
        int oh = (h - kernel) / stride + 1, ow = (w - kernel) / stride + 1;
        if (kernel < 1 || stride < 1 || h < kernel || w < kernel) throw new ArgumentException($"MaxPool2d {kernel}×{kernel} does not fit a {h}×{w} image.");
        _x = x;
        var y = Tensor.Reuse(ref _y, n, oh, ow, c);
        _compute.For(n, 1, (lo, hi) =>
        {
            fixed (float* px = x.Data, py = y.Data)
                for (int i = lo; i < hi; i++) ForwardImage(px + (long)i * h * w * c, py + (long)i * oh * ow * c, w, c, oh, ow);
        });
        return y;
    }

    public Tensor Backward(Tensor dOut)
    {
        var x = _x ?? throw new InvalidOperationException("Backward before Forward.");
        int n = x.Shape[0], h = x.Shape[1], w = x.Shape[2], c = x.Shape[3];
        int oh = _y!.Shape[1], ow = _y.Shape[2];
        // The pointer loops below trust dOut's extent: it must be exactly the forward output's shape.
        if (!dOut.HasShape(_y.Shape)) throw new ArgumentException($"MaxPool2d.Backward: dOut [{string.Join(",", dOut.Shape)}] is not the output's shape.");
        var dx = Tensor.Reuse(ref _dx, x.Shape);
        var y = _y;
        // Non-overlapping windows that tile the image write every input gradient once; otherwise clear and add.
        bool overlap = stride < kernel, covers = stride == kernel && oh * kernel == h && ow * kernel == w;
        _compute.For(n, 1, (lo, hi) =>
        {
            fixed (float* px = x.Data, py = y.Data, pg = dOut.Data, pd = dx.Data)
                for (int i = lo; i < hi; i++)
                {
                    long inOff = (long)i * h * w * c, outOff = (long)i * oh * ow * c;
                    if (!covers) new Span<float>(pd + inOff, h * w * c).Clear();
                    BackwardImage(px + inOff, py + outOff, pg + outOff, pd + inOff, w, c, oh, ow, overlap);
                }
        });
        return dx;
    }

    private void ForwardImage(float* x, float* y, int w, int c, int oh, int ow)
    {
        int vl = Vector<float>.Count, cv = c - c % vl;
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
            {
                float* dst = y + (oy * ow + ox) * c;
                float* win = x + (oy * stride * w + ox * stride) * c;
                for (int j = 0; j < cv; j += vl)
                {
                    var m = Vector.Load(win + j);
                    for (int ky = 0; ky < kernel; ky++)
                        for (int kx = 0; kx < kernel; kx++)
                            m = Vector.Max(m, Vector.Load(win + (ky * w + kx) * c + j));
                    m.Store(dst + j);
                }
                for (int j = cv; j < c; j++)
                {
                    float m = win[j];
                    for (int ky = 0; ky < kernel; ky++)
                        for (int kx = 0; kx < kernel; kx++)
                            m = Math.Max(m, win[(ky * w + kx) * c + j]);
                    dst[j] = m;
                }
            }
    }

    /// <summary>dx at each window's first maximum = g (added when windows overlap); the other positions get 0.</summary>
    private void BackwardImage(float* x, float* y, float* g, float* dx, int w, int c, int oh, int ow, bool overlap)
    {
        int vl = Vector<float>.Count, cv = c - c % vl;
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
            {
                int o = (oy * ow + ox) * c, s = (oy * stride * w + ox * stride) * c;
                for (int j = 0; j < cv; j += vl)
                {
                    var yv = Vector.Load(y + o + j);
                    var gv = Vector.Load(g + o + j);
                    var taken = Vector<int>.Zero;
                    for (int ky = 0; ky < kernel; ky++)
                        for (int kx = 0; kx < kernel; kx++)
                        {
                            float* px = x + s + (ky * w + kx) * c + j, pd = dx + s + (ky * w + kx) * c + j;
                            var hit = Vector.AndNot(Vector.Equals(Vector.Load(px), yv), taken);
                            var v = Vector.ConditionalSelect(hit, gv, Vector<float>.Zero);
                            (overlap ? Vector.Load(pd) + v : v).Store(pd);
                            taken |= hit;
                        }
                }
                for (int j = cv; j < c; j++)
                {
                    bool done = false;
                    for (int ky = 0; ky < kernel; ky++)
                        for (int kx = 0; kx < kernel; kx++)
                        {
                            int at = s + (ky * w + kx) * c + j;
                            bool hit = !done && x[at] == y[o + j];
                            float v = hit ? g[o + j] : 0f;
                            dx[at] = overlap ? dx[at] + v : v;
                            done |= hit;
                        }
                }
            }
    }
}
