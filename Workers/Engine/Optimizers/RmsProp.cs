namespace HpSearch.Workers.Engine.Optimizers;

/// <summary>RMSProp (Tieleman &amp; Hinton 2012): s ← αs + (1−α)g²; w ← w − lr·g/(√s + ε).</summary>
public sealed class RmsProp(float alpha = 0.99f, float eps = 1e-8f, WeightDecay? decay = null) : IOptimizer
{
    private readonly WeightDecay _decay = decay ?? WeightDecay.None;
    private readonly Dictionary<Parameter, float[]> _square = new(ReferenceEqualityComparer.Instance);

    public string Name => "rmsprop";

    public void Step(IReadOnlyList<Parameter> parameters, float lr)
    {
        foreach (var p in parameters)
        {
            _decay.AddToGradient(p);
            if (!_square.TryGetValue(p, out var s)) _square[p] = s = new float[p.Length];
            var w = p.Value; var g = p.Grad;
            for (int i = 0; i < w.Length; i++)
            {
                s[i] = alpha * s[i] + (1 - alpha) * g[i] * g[i];
                w[i] -= lr * g[i] / (MathF.Sqrt(s[i]) + eps);
            }
        }
    }
}
