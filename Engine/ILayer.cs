namespace HpSearch.Engine;

/// <summary>A network layer with explicit forward and backward passes (activations cached by Forward for Backward).
/// Returned tensors are the layer's own buffers, valid until its next call.</summary>
public interface ILayer
{
    string Name { get; }

    Tensor Forward(Tensor x, bool training);

    /// <summary>Adds the parameter gradients to <see cref="Parameter.Grad"/> and returns the input gradient.</summary>
    Tensor Backward(Tensor dOut);

    IReadOnlyList<Parameter> Parameters() => [];

    /// <summary>Non-learned state saved with the model (BatchNorm running statistics).</summary>
    IReadOnlyList<float[]> Buffers() => [];

    void ZeroGrad()
    {
        foreach (var p in Parameters()) Array.Clear(p.Grad);
    }
}
