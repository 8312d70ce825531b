namespace HpSearch.Workers.Engine.Layers;

/// <summary>Max pooling over k×k windows with a stride (default 2×2, stride 2) on [N, H, W, C]; the gradient goes to
/// each window's maximum (first one on ties).</summary>
public sealed class MaxPool2d(int kernel = 2, int stride = 2, string name = "maxpool") : ILayer
{
    private Tensor? _y, _dx;
    private int[] _argmax = [];
    private int[] _inShape = [];

    public string Name { get; } = name;

    public Tensor Forward(Tensor x, bool training)
    {
        int n = x.Shape[0], h = x.Shape[1], w = x.Shape[2], c = x.Shape[3];
        int oh = (h - kernel) / stride + 1, ow = (w - kernel) / stride + 1;
        _inShape = x.Shape;
        var y = Tensor.Reuse(ref _y, n, oh, ow, c);
        if (_argmax.Length != y.Length) _argmax = new int[y.Length];
        var xs = x.Data; var ys = y.Data;
        for (int i = 0; i < n; i++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        int best = -1; float max = float.NegativeInfinity;
                        for (int ky = 0; ky < kernel; ky++)
                            for (int kx = 0; kx < kernel; kx++)
                            {
                                int idx = ((i * h + oy * stride + ky) * w + ox * stride + kx) * c + ch;
                                if (best < 0 || xs[idx] > max) { max = xs[idx]; best = idx; }
                            }
                        int o = ((i * oh + oy) * ow + ox) * c + ch;
                        ys[o] = max; _argmax[o] = best;
                    }
        return y;
    }

    public Tensor Backward(Tensor dOut)
    {
        var dx = Tensor.Reuse(ref _dx, _inShape);
        Array.Clear(dx.Data);
        var g = dOut.Data; var d = dx.Data;
        for (int o = 0; o < g.Length; o++) d[_argmax[o]] += g[o];
        return dx;
    }
}
