namespace HpSearch.Engine.Layers;

/// <summary>[N, H, W, C] → [N, H·W·C] (a view: no copy).</summary>
public sealed class Flatten(string name = "flatten") : ILayer
{
    private int[] _inShape = [];

    public string Name { get; } = name;

    public Tensor Forward(Tensor x, bool training)
    {
        _inShape = x.Shape;
        return x.Reshape(x.Batch, x.PerExample);
    }

    public Tensor Backward(Tensor dOut) => dOut.Reshape(_inShape);
}
