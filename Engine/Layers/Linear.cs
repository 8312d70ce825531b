namespace HpSearch.Engine.Layers;

/// <summary>Fully connected layer y = x·W + b with W stored [inputs, outputs].</summary>
public sealed class Linear : ILayer
{
    private readonly Compute _compute;
    private Tensor? _x, _y, _dx;

    public Linear(int inputs, int outputs, Compute? compute = null, string name = "linear")
    {
        Inputs = inputs;
        Outputs = outputs;
        Name = name;
        _compute = compute ?? Compute.Default;
        Weight = new Parameter(name + ".weight", [inputs, outputs], decay: true);
        Bias = new Parameter(name + ".bias", [outputs], decay: false);
    }

    public string Name { get; }
    public int Inputs { get; }
    public int Outputs { get; }
    public Parameter Weight { get; }
    public Parameter Bias { get; }

    /// <summary>False for a network's first layer: its input gradient is never used, so Backward skips it.</summary>
    public bool ComputeInputGradient { get; set; } = true;

    public IReadOnlyList<Parameter> Parameters() => [Weight, Bias];

    public Tensor Forward(Tensor x, bool training)
    {
        int n = x.Batch;
        if (x.PerExample != Inputs) throw new ArgumentException($"{Name}: expected {Inputs} features, got {x.PerExample}.");
        _x = x;
        var y = Tensor.Reuse(ref _y, n, Outputs);
        var yd = y.Data;
        var b = Bias.Value;
        int outputs = Outputs;
        _compute.For(n, Math.Max(1, 16_384 / outputs), (lo, hi) => { for (int i = lo; i < hi; i++) b.CopyTo(yd, i * outputs); });
        _compute.MatMul(false, false, n, Outputs, Inputs, x.Data, 0, Weight.Value, 0, yd, 0, accumulate: true);
        return y;
    }

    public Tensor Backward(Tensor dOut)
    {
        var x = _x ?? throw new InvalidOperationException("Backward before Forward.");
        int n = x.Batch;
        _compute.MatMul(true, false, Inputs, Outputs, n, x.Data, 0, dOut.Data, 0, Weight.Grad, 0, accumulate: true);
        VectorOps.AddColumnSums(dOut.Data, n, Outputs, Bias.Grad);
        if (!ComputeInputGradient) return dOut;
        var dx = Tensor.Reuse(ref _dx, x.Shape);
        _compute.MatMul(false, true, n, Inputs, Outputs, dOut.Data, 0, Weight.Value, 0, dx.Data, 0, accumulate: false);
        return dx;
    }
}
