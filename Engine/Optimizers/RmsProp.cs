using System.Numerics;
using System.Runtime.InteropServices;

namespace HpSearch.Engine.Optimizers;

/// <summary>RMSProp (Tieleman &amp; Hinton 2012): s ← αs + (1−α)g²; w ← w − lr·g/(√s + ε).</summary>
public sealed class RmsProp(float alpha = 0.99f, float eps = 1e-8f, WeightDecay? decay = null) : IOptimizer
{
    private readonly WeightDecay _decay = decay ?? WeightDecay.None;
    private readonly Dictionary<Parameter, float[]> _square = new(ReferenceEqualityComparer.Instance);

    /// <summary>Threads for the element-wise update (the trainer passes the model's).</summary>
    public Compute Compute { get; init; } = Compute.Default;

    public string Name => "rmsprop";

    public void Step(IReadOnlyList<Parameter> parameters, float lr) =>
        StateStep.Run(parameters, _square, _decay, Compute, 32_768, lr, Update);

    private void Update(Span<float> w, ReadOnlySpan<float> g, Span<float> s, float lr)
    {
        var wv = MemoryMarshal.Cast<float, Vector<float>>(w);
        var gv = MemoryMarshal.Cast<float, Vector<float>>(g);
        var sv = MemoryMarshal.Cast<float, Vector<float>>(s);
        var (va, vac, vlr, veps) = (new Vector<float>(alpha), new Vector<float>(1 - alpha), new Vector<float>(lr), new Vector<float>(eps));
        for (int k = 0; k < wv.Length; k++)
        {
            var gk = gv[k];
            var sk = va * sv[k] + vac * gk * gk;
            sv[k] = sk;
            wv[k] -= vlr * gk / (Vector.SquareRoot(sk) + veps);
        }
        for (int i = wv.Length * Vector<float>.Count; i < w.Length; i++)
        {
            s[i] = alpha * s[i] + (1 - alpha) * g[i] * g[i];
            w[i] -= lr * g[i] / (MathF.Sqrt(s[i]) + eps);
        }
    }
}
