namespace HpSearch.Engine.Optimizers;

/// <summary>L2 weight decay as a gradient term (g += λ·w) for the parameters that decay (weights; biases and
/// BatchNorm only when <see cref="IncludeAll"/>). Used by optimizers ("in the optimizer") and by the loss.</summary>
public sealed record WeightDecay(float Lambda, bool IncludeAll = false)
{
    public static readonly WeightDecay None = new(0f);

    public bool Applies(Parameter p) => Lambda != 0 && (IncludeAll || p.Decay);

    /// <summary>g += λ·w for decaying parameters.</summary>
    public void AddToGradient(Parameter p)
    {
        if (Applies(p)) VectorOps.AddScaled(Lambda, p.Value, p.Grad);
    }

    /// <summary>The loss term ½·λ·Σw² over decaying parameters.</summary>
    public double Penalty(IEnumerable<Parameter> parameters) =>
        parameters.Where(Applies).Sum(p => 0.5 * Lambda * VectorOps.SumOfSquares(p.Value));
}
