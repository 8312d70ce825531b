namespace HpSearch.Engine;

/// <summary>A learnable array with its gradient. <see cref="Decay"/> is false for biases and BatchNorm γ/β, which get
/// no weight decay or max-norm unless asked.</summary>
public sealed class Parameter(string name, int[] shape, bool decay)
{
    public string Name { get; } = name;
    public int[] Shape { get; } = shape;
    public float[] Value { get; } = new float[Tensor.Count(shape)];
    public float[] Grad { get; } = new float[Tensor.Count(shape)];
    public bool Decay { get; } = decay;
    public int Length => Value.Length;
}
