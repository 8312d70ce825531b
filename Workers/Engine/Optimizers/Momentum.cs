namespace HpSearch.Workers.Engine.Optimizers;

/// <summary>SGD with (heavy-ball) momentum in PyTorch's form: v ← μv + g; w ← w − lr·v (Polyak 1964; Sutskever et al. 2013).</summary>
public sealed class Momentum(float mu = 0.9f, WeightDecay? decay = null) : IOptimizer
{
    private readonly WeightDecay _decay = decay ?? WeightDecay.None;
    private readonly Dictionary<Parameter, float[]> _velocity = new(ReferenceEqualityComparer.Instance);

    public string Name => "momentum";

    public void Step(IReadOnlyList<Parameter> parameters, float lr)
    {
        foreach (var p in parameters)
        {
            _decay.AddToGradient(p);
            if (!_velocity.TryGetValue(p, out var v)) _velocity[p] = v = new float[p.Length];
            var w = p.Value; var g = p.Grad;
            for (int i = 0; i < w.Length; i++)
            {
                v[i] = mu * v[i] + g[i];
                w[i] -= lr * v[i];
            }
        }
    }
}
