namespace HpSearch.Engine.Optimizers;

/// <summary>The step every optimizer with one state array per parameter shares (momentum's velocity, RMSProp's and
/// AdaGrad's squares): decay into the gradient, the state created on first use, and the element-wise update split
/// across the compute's threads in fixed chunks.</summary>
internal static class StateStep
{
    public delegate void Update(Span<float> w, ReadOnlySpan<float> g, Span<float> state, float lr);

    public static void Run(IReadOnlyList<Parameter> parameters, Dictionary<Parameter, float[]> states, WeightDecay decay,
        Compute compute, int minChunk, float lr, Update update)
    {
        foreach (var p in parameters)
        {
            decay.AddToGradient(p);
            if (!states.TryGetValue(p, out var s)) states[p] = s = new float[p.Length];
            var (w, g) = (p.Value, p.Grad);
            compute.ForRange(w.Length, minChunk, (lo, hi) => update(w.AsSpan(lo, hi - lo), g.AsSpan(lo, hi - lo), s.AsSpan(lo, hi - lo), lr));
        }
    }
}
