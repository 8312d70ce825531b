namespace HpSearch.Engine.Layers;

/// <summary>LeakyReLU, ELU, Tanh and Sigmoid: f(x) elementwise, with f'(x) written in terms of x and y = f(x).</summary>
public sealed class ElementwiseActivation : ILayer, IActivation
{
    private readonly float _alpha;
    private Tensor? _x, _y, _dx;

    /// <param name="alpha">LeakyReLU's negative slope (default 0.01) or ELU's α (default 1).</param>
    public ElementwiseActivation(ActivationKind kind, float? alpha = null, string? name = null)
    {
        if (kind == ActivationKind.Relu) throw new ArgumentException("Use Relu for ReLU.", nameof(kind));
        Kind = kind;
        _alpha = alpha ?? (kind == ActivationKind.LeakyRelu ? 0.01f : 1f);
        Name = name ?? kind.ToString().ToLowerInvariant();
    }

    public string Name { get; }
    public ActivationKind Kind { get; }
    public Tensor? LastOutput => _y;

    public Tensor Forward(Tensor x, bool training)
    {
        _x = x;
        var y = Tensor.Reuse(ref _y, x.Shape);
        var xs = x.Data; var ys = y.Data; float a = _alpha;
        switch (Kind)
        {
            case ActivationKind.LeakyRelu: for (int i = 0; i < xs.Length; i++) ys[i] = xs[i] > 0 ? xs[i] : a * xs[i]; break;
            case ActivationKind.Elu: for (int i = 0; i < xs.Length; i++) ys[i] = xs[i] > 0 ? xs[i] : a * (MathF.Exp(xs[i]) - 1); break;
            case ActivationKind.Tanh: for (int i = 0; i < xs.Length; i++) ys[i] = MathF.Tanh(xs[i]); break;
            default: for (int i = 0; i < xs.Length; i++) ys[i] = 1f / (1f + MathF.Exp(-xs[i])); break;
        }
        return y;
    }

    public Tensor Backward(Tensor dOut)
    {
        var x = _x ?? throw new InvalidOperationException("Backward before Forward.");
        var dx = Tensor.Reuse(ref _dx, x.Shape);
        var xs = x.Data; var ys = _y!.Data; var g = dOut.Data; var d = dx.Data; float a = _alpha;
        switch (Kind)
        {
            case ActivationKind.LeakyRelu: for (int i = 0; i < xs.Length; i++) d[i] = xs[i] > 0 ? g[i] : a * g[i]; break;
            case ActivationKind.Elu: for (int i = 0; i < xs.Length; i++) d[i] = xs[i] > 0 ? g[i] : g[i] * (ys[i] + a); break;
            case ActivationKind.Tanh: for (int i = 0; i < xs.Length; i++) d[i] = g[i] * (1 - ys[i] * ys[i]); break;
            default: for (int i = 0; i < xs.Length; i++) d[i] = g[i] * ys[i] * (1 - ys[i]); break;
        }
        return dx;
    }
}
