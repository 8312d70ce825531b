namespace HpSearch.Engine.Layers;

/// <summary>2-D convolution on channels-last images [N, H, W, C] by im2col + GEMM (Chellapilla et al. 2006).
/// Weight [k·k·Cin, Cout] (row = (ky·k + kx)·Cin + c), bias [Cout]; any kernel size, stride and zero padding.</summary>
public sealed class Conv2d : ILayer
{
    private readonly Compute _compute;
    private readonly bool _direct; // one input channel: the direct kernel instead of im2col (same weight layout)
    private Tensor? _cols, _y, _dcols, _dx, _x;
    private float[] _partials = [];
    private int[] _inShape = [];
    private int _oh, _ow;

    public Conv2d(int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0, Compute? compute = null, string name = "conv")
    {
        if (kernel < 1 || stride < 1 || padding < 0) throw new ArgumentException("Kernel and stride must be ≥ 1, padding ≥ 0.");
        if (inChannels < 1 || outChannels < 1) throw new ArgumentException("A convolution needs at least one input and one output channel.");
        InChannels = inChannels; OutChannels = outChannels; Kernel = kernel; Stride = stride; Padding = padding;
        Name = name;
        _compute = compute ?? Compute.Default;
        Weight = new Parameter(name + ".weight", [checked(kernel * kernel * inChannels), outChannels], decay: true);
        Bias = new Parameter(name + ".bias", [outChannels], decay: false);
        _direct = SingleChannelConv.Applies(inChannels, outChannels);
    }

    public string Name { get; }
    public int InChannels { get; }
    public int OutChannels { get; }
    public int Kernel { get; }
    public int Stride { get; }
    public int Padding { get; }
    public Parameter Weight { get; }
    public Parameter Bias { get; }
    public bool ComputeInputGradient { get; set; } = true;

    public IReadOnlyList<Parameter> Parameters() => [Weight, Bias];

    public int OutputSize(int input) => checked((input + 2 * Padding - Kernel) / Stride + 1);

    public Tensor Forward(Tensor x, bool training)
    {
        if (x.Shape.Length != 4 || x.Shape[3] != InChannels) throw new ArgumentException($"{Name}: expected [N, H, W, {InChannels}].");
        int n = x.Shape[0], h = x.Shape[1], w = x.Shape[2];
        _inShape = x.Shape;
        _oh = OutputSize(h); _ow = OutputSize(w);
        if (_oh < 1 || _ow < 1) throw new ArgumentException($"{Name}: the image ({h}×{w}) is smaller than the kernel.");
        // Checked: every index the column loops compute is below rows × kk, which the columns' tensor checks in turn.
        int rows = checked(n * _oh * _ow), kk = Kernel * Kernel * InChannels;
        if (_direct)
        {
            _x = x;
            var yDirect = Tensor.Reuse(ref _y, n, _oh, _ow, OutChannels);
            _compute.For(n, 1, (lo, hi) => SingleChannelConv.Forward(x.Data, lo, hi, h, w, Weight.Value, Bias.Value, Kernel, Stride, Padding, _oh, _ow, yDirect.Data));
            return yDirect;
        }
        var cols = Tensor.Reuse(ref _cols, rows, kk);
        _compute.For(n, 1, (lo, hi) => { for (int i = lo; i < hi; i++) Im2Col(x.Data, i, h, w, cols.Data); });
        var y = Tensor.Reuse(ref _y, n, _oh, _ow, OutChannels);
        var yd = y.Data;
        for (int r = 0; r < rows; r++) Bias.Value.CopyTo(yd, r * OutChannels);
        _compute.MatMul(false, false, rows, OutChannels, kk, cols.Data, 0, Weight.Value, 0, yd, 0, accumulate: true);
        return y;
    }

    public Tensor Backward(Tensor dOut)
    {
        if (_inShape.Length == 0) throw new InvalidOperationException("Backward before Forward.");
        int n = _inShape[0], h = _inShape[1], w = _inShape[2];
        int rows = n * _oh * _ow, kk = Kernel * Kernel * InChannels; // both checked by Forward
        // The kernels below read dOut as [rows, Cout]: it must be exactly the forward output's shape.
        if (!dOut.HasShape(_y!.Shape)) throw new ArgumentException($"{Name}.Backward: dOut [{string.Join(",", dOut.Shape)}] is not the output's shape.");
        if (_direct) DirectGradients(n, h, w, dOut);
        else
        {
            _compute.MatMul(true, false, kk, OutChannels, rows, _cols!.Data, 0, dOut.Data, 0, Weight.Grad, 0, accumulate: true);
            VectorOps.AddColumnSums(dOut.Data, rows, OutChannels, Bias.Grad);
        }
        if (!ComputeInputGradient) return dOut;
        // The weight gradient above was the last use of the columns: their buffer takes the column gradients.
        var dcols = _cols ?? Tensor.Reuse(ref _dcols, rows, kk);
        _compute.MatMul(false, true, rows, kk, OutChannels, dOut.Data, 0, Weight.Value, 0, dcols.Data, 0, accumulate: false);
        var dx = Tensor.Reuse(ref _dx, _inShape);
        _compute.For(n, 1, (lo, hi) => { for (int i = lo; i < hi; i++) Col2Im(dcols.Data, i, h, w, dx.Data); });
        return dx;
    }

    /// <summary>Weight and bias gradients of the direct path: partial sums per fixed group of images, added in group
    /// order (the same sums for any thread count).</summary>
    private void DirectGradients(int n, int h, int w, Tensor dOut)
    {
        const int GroupSize = 4;
        int groups = (n + GroupSize - 1) / GroupSize, width = (Kernel * Kernel + 1) * OutChannels;
        if (_partials.Length < groups * width) _partials = new float[groups * width];
        var x = _x!.Data;
        var partials = _partials;
        _compute.For(groups, 1, (lo, hi) =>
        {
            for (int g = lo; g < hi; g++)
                SingleChannelConv.Gradients(x, g * GroupSize, Math.Min(n, (g + 1) * GroupSize), h, w, dOut.Data, Kernel, Stride, Padding,
                    _oh, _ow, OutChannels, partials.AsSpan(g * width, width));
        });
        int taps = Kernel * Kernel * OutChannels;
        for (int g = 0; g < groups; g++)
        {
            VectorOps.Add(partials.AsSpan(g * width, taps), Weight.Grad);
            VectorOps.Add(partials.AsSpan(g * width + taps, OutChannels), Bias.Grad);
        }
    }

    private void Im2Col(float[] x, int img, int h, int w, float[] cols)
    {
        int c = InChannels, k = Kernel, kk = k * k * c;
        for (int oy = 0; oy < _oh; oy++)
            for (int ox = 0; ox < _ow; ox++)
            {
                var row = cols.AsSpan(((img * _oh + oy) * _ow + ox) * kk, kk);
                for (int ky = 0; ky < k; ky++)
                {
                    int iy = oy * Stride - Padding + ky;
                    for (int kx = 0; kx < k; kx++)
                    {
                        int ix = ox * Stride - Padding + kx;
                        int d = (ky * k + kx) * c;
                        bool outside = iy < 0 || iy >= h || ix < 0 || ix >= w;
                        if (c == 1) row[d] = outside ? 0f : x[(img * h + iy) * w + ix];
                        else if (outside) row.Slice(d, c).Clear();
                        else x.AsSpan(((img * h + iy) * w + ix) * c, c).CopyTo(row.Slice(d, c));
                    }
                }
            }
    }

    private void Col2Im(float[] dcols, int img, int h, int w, float[] dx)
    {
        int c = InChannels, k = Kernel, kk = k * k * c;
        dx.AsSpan(img * h * w * c, h * w * c).Clear();
        for (int oy = 0; oy < _oh; oy++)
            for (int ox = 0; ox < _ow; ox++)
            {
                var row = dcols.AsSpan(((img * _oh + oy) * _ow + ox) * kk, kk);
                for (int ky = 0; ky < k; ky++)
                {
                    int iy = oy * Stride - Padding + ky;
                    if (iy < 0 || iy >= h) continue;
                    for (int kx = 0; kx < k; kx++)
                    {
                        int ix = ox * Stride - Padding + kx;
                        if (ix < 0 || ix >= w) continue;
                        VectorOps.Add(row.Slice((ky * k + kx) * c, c), dx.AsSpan(((img * h + iy) * w + ix) * c, c));
                    }
                }
            }
    }
}
