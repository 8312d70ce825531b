namespace HpSearch.Engine.Optimizers;

/// <summary>Plain stochastic gradient descent: w ← w − lr·(g + λw).</summary>
public sealed class Sgd(WeightDecay? decay = null) : IOptimizer
{
    private readonly WeightDecay _decay = decay ?? WeightDecay.None;

    /// <summary>Threads for the element-wise update (the trainer passes the model's).</summary>
    public Compute Compute { get; init; } = Compute.Default;

    public string Name => "sgd";

    public void Step(IReadOnlyList<Parameter> parameters, float lr)
    {
        foreach (var p in parameters)
        {
            _decay.AddToGradient(p);
            var (w, g) = (p.Value, p.Grad);
            Compute.ForRange(w.Length, 65_536, (lo, hi) => VectorOps.AddScaled(-lr, g.AsSpan(lo, hi - lo), w.AsSpan(lo, hi - lo)));
        }
    }
}
