namespace HpSearch.Engine.Layers;

/// <summary>Layers applied in order; Backward runs them in reverse.</summary>
public sealed class Sequential(IEnumerable<ILayer> layers, string name = "sequential") : ILayer
{
    public string Name { get; } = name;
    public IReadOnlyList<ILayer> Layers { get; } = layers.ToArray();

    public Tensor Forward(Tensor x, bool training)
    {
        foreach (var l in Layers) x = l.Forward(x, training);
        return x;
    }

    public Tensor Backward(Tensor dOut)
    {
        for (int i = Layers.Count - 1; i >= 0; i--) dOut = Layers[i].Backward(dOut);
        return dOut;
    }

    public IReadOnlyList<Parameter> Parameters() => Layers.SelectMany(l => l.Parameters()).ToArray();
    public IReadOnlyList<float[]> Buffers() => Layers.SelectMany(l => l.Buffers()).ToArray();

    /// <summary>This layer and all nested ones, depth first.</summary>
    public IEnumerable<ILayer> Flatten()
    {
        foreach (var l in Layers)
        {
            yield return l;
            var inner = l switch { Sequential s => s.Flatten(), Residual r => r.Body.Flatten(), _ => [] };
            foreach (var i in inner) yield return i;
        }
    }
}
