namespace HpSearch.Workers.Engine.Optimizers;

/// <summary>AdaGrad (Duchi et al. 2011): s ← s + g²; w ← w − lr·g/(√s + ε).</summary>
public sealed class AdaGrad(float eps = 1e-10f, WeightDecay? decay = null) : IOptimizer
{
    private readonly WeightDecay _decay = decay ?? WeightDecay.None;
    private readonly Dictionary<Parameter, float[]> _sum = new(ReferenceEqualityComparer.Instance);

    public string Name => "adagrad";

    public void Step(IReadOnlyList<Parameter> parameters, float lr)
    {
        foreach (var p in parameters)
        {
            _decay.AddToGradient(p);
            if (!_sum.TryGetValue(p, out var s)) _sum[p] = s = new float[p.Length];
            var w = p.Value; var g = p.Grad;
            for (int i = 0; i < w.Length; i++)
            {
                s[i] += g[i] * g[i];
                w[i] -= lr * g[i] / (MathF.Sqrt(s[i]) + eps);
            }
        }
    }
}
