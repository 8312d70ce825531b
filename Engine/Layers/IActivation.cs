namespace HpSearch.Engine.Layers;

/// <summary>An activation layer whose last output can be inspected (activation statistics per epoch).</summary>
public interface IActivation
{
    ActivationKind Kind { get; }
    Tensor? LastOutput { get; }
}
