using System.Numerics;
using System.Runtime.InteropServices;

namespace HpSearch.Engine.Optimizers;

/// <summary>Adam (Kingma &amp; Ba 2015) with bias correction: m ← β1m + (1−β1)g; v ← β2v + (1−β2)g²;
/// w ← w − lr·m̂/(√v̂ + ε). With <c>decoupled</c> it is AdamW (Loshchilov &amp; Hutter 2019): w ← w − lr·λ·w first.</summary>
public sealed class Adam(float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, WeightDecay? decay = null, bool decoupled = false) : IOptimizer
{
    private readonly WeightDecay _decay = decay ?? WeightDecay.None;
    private readonly Dictionary<Parameter, (float[] M, float[] V)> _moments = new(ReferenceEqualityComparer.Instance);
    private int _t;

    public string Name => decoupled ? "adamw" : "adam";

    /// <summary>Threads for the element-wise update (the trainer passes the model's).</summary>
    public Compute Compute { get; init; } = Compute.Default;

    public void Step(IReadOnlyList<Parameter> parameters, float lr)
    {
        _t++;
        float c1 = 1f / (1f - MathF.Pow(beta1, _t));
        float c2 = 1f / (1f - MathF.Pow(beta2, _t));
        foreach (var p in parameters)
        {
            if (decoupled)
            {
                if (_decay.Applies(p)) VectorOps.Scale(1f - lr * _decay.Lambda, p.Value);
            }
            else _decay.AddToGradient(p);
            if (!_moments.TryGetValue(p, out var s)) _moments[p] = s = (new float[p.Length], new float[p.Length]);
            var (w, g, m, v) = (p.Value, p.Grad, s.M, s.V);
            Compute.ForRange(w.Length, 32_768, (lo, hi) =>
                Update(w.AsSpan(lo, hi - lo), g.AsSpan(lo, hi - lo), m.AsSpan(lo, hi - lo), v.AsSpan(lo, hi - lo), lr, c1, c2));
        }
    }

    private void Update(Span<float> w, ReadOnlySpan<float> g, Span<float> m, Span<float> v, float lr, float c1, float c2)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var wv = MemoryMarshal.Cast<float, Vector<float>>(w);
            var gv = MemoryMarshal.Cast<float, Vector<float>>(g);
            var mv = MemoryMarshal.Cast<float, Vector<float>>(m);
            var vv = MemoryMarshal.Cast<float, Vector<float>>(v);
            var b1 = new Vector<float>(beta1); var b1c = new Vector<float>(1 - beta1);
            var b2 = new Vector<float>(beta2); var b2c = new Vector<float>(1 - beta2);
            var vc1 = new Vector<float>(c1); var vc2 = new Vector<float>(c2);
            var vlr = new Vector<float>(lr); var veps = new Vector<float>(eps);
            for (int k = 0; k < wv.Length; k++)
            {
                var gk = gv[k];
                var mk = b1 * mv[k] + b1c * gk;
                var vk = b2 * vv[k] + b2c * gk * gk;
                mv[k] = mk; vv[k] = vk;
                wv[k] -= vlr * (mk * vc1) / (Vector.SquareRoot(vk * vc2) + veps);
            }
            i = wv.Length * Vector<float>.Count;
        }
        for (; i < w.Length; i++)
        {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            w[i] -= lr * (m[i] * c1) / (MathF.Sqrt(v[i] * c2) + eps);
        }
    }
}
