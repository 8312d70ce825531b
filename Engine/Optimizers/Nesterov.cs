using System.Numerics;
using System.Runtime.InteropServices;

namespace HpSearch.Engine.Optimizers;

/// <summary>Nesterov momentum in PyTorch's form: v ← μv + g; w ← w − lr·(g + μv) (Sutskever et al. 2013).</summary>
public sealed class Nesterov(float mu = 0.9f, WeightDecay? decay = null) : IOptimizer
{
    private readonly WeightDecay _decay = decay ?? WeightDecay.None;
    private readonly Dictionary<Parameter, float[]> _velocity = new(ReferenceEqualityComparer.Instance);

    /// <summary>Threads for the element-wise update (the trainer passes the model's).</summary>
    public Compute Compute { get; init; } = Compute.Default;

    public string Name => "nesterov";

    public void Step(IReadOnlyList<Parameter> parameters, float lr) =>
        StateStep.Run(parameters, _velocity, _decay, Compute, 65_536, lr, Update);

    private void Update(Span<float> w, ReadOnlySpan<float> g, Span<float> v, float lr)
    {
        var wv = MemoryMarshal.Cast<float, Vector<float>>(w);
        var gv = MemoryMarshal.Cast<float, Vector<float>>(g);
        var vv = MemoryMarshal.Cast<float, Vector<float>>(v);
        var (vmu, vlr) = (new Vector<float>(mu), new Vector<float>(lr));
        for (int k = 0; k < wv.Length; k++)
        {
            var vk = vmu * vv[k] + gv[k];
            vv[k] = vk;
            wv[k] -= vlr * (gv[k] + vmu * vk);
        }
        for (int i = wv.Length * Vector<float>.Count; i < w.Length; i++)
        {
            v[i] = mu * v[i] + g[i];
            w[i] -= lr * (g[i] + mu * v[i]);
        }
    }
}
