namespace HpSearch.Workers.Engine.Optimizers;

/// <summary>Plain stochastic gradient descent: w ← w − lr·(g + λw).</summary>
public sealed class Sgd(WeightDecay? decay = null) : IOptimizer
{
    private readonly WeightDecay _decay = decay ?? WeightDecay.None;

    public string Name => "sgd";

    public void Step(IReadOnlyList<Parameter> parameters, float lr)
    {
        foreach (var p in parameters)
        {
            _decay.AddToGradient(p);
            VectorOps.AddScaled(-lr, p.Grad, p.Value);
        }
    }
}
