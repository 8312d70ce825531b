using System.Numerics;
using System.Runtime.InteropServices;

namespace HpSearch.Engine.Optimizers;

/// <summary>AdaGrad (Duchi et al. 2011): s ← s + g²; w ← w − lr·g/(√s + ε).</summary>
public sealed class AdaGrad(float eps = 1e-10f, WeightDecay? decay = null) : IOptimizer
{
    private readonly WeightDecay _decay = decay ?? WeightDecay.None;
    private readonly Dictionary<Parameter, float[]> _sum = new(ReferenceEqualityComparer.Instance);

    /// <summary>Threads for the element-wise update (the trainer passes the model's).</summary>
    public Compute Compute { get; init; } = Compute.Default;

    public string Name => "adagrad";

    public void Step(IReadOnlyList<Parameter> parameters, float lr) =>
        StateStep.Run(parameters, _sum, _decay, Compute, 32_768, lr, Update);

    private void Update(Span<float> w, ReadOnlySpan<float> g, Span<float> s, float lr)
    {
        var wv = MemoryMarshal.Cast<float, Vector<float>>(w);
        var gv = MemoryMarshal.Cast<float, Vector<float>>(g);
        var sv = MemoryMarshal.Cast<float, Vector<float>>(s);
        var (vlr, veps) = (new Vector<float>(lr), new Vector<float>(eps));
        for (int k = 0; k < wv.Length; k++)
        {
            var gk = gv[k];
            var sk = sv[k] + gk * gk;
            sv[k] = sk;
            wv[k] -= vlr * gk / (Vector.SquareRoot(sk) + veps);
        }
        for (int i = wv.Length * Vector<float>.Count; i < w.Length; i++)
        {
            s[i] += g[i] * g[i];
            w[i] -= lr * g[i] / (MathF.Sqrt(s[i]) + eps);
        }
    }
}
