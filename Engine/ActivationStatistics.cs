using HpSearch.Engine.Layers;

namespace HpSearch.Engine;

/// <summary>Summary of one activation layer's output over a batch: mean, std, share of dead units (a unit whose output
/// is ≤ 0 for every example, ReLU family) and share of saturated values (|tanh| &gt; 0.95, sigmoid outside [0.05, 0.95]).
/// With std-0.01 init on a deep net these show the vanishing activations of Glorot &amp; Bengio 2010.</summary>
public sealed record ActivationStatistics(string Layer, double Mean, double Std, double DeadFraction, double SaturatedFraction)
{
    public static ActivationStatistics Of(string layer, ActivationKind kind, Tensor output)
    {
        var y = output.Data;
        int n = output.Batch, units = output.PerExample;
        double sum = 0, sq = 0;
        long saturated = 0;
        foreach (var v in y)
        {
            sum += v; sq += (double)v * v;
            if (kind == ActivationKind.Tanh ? MathF.Abs(v) > 0.95f : kind == ActivationKind.Sigmoid && (v < 0.05f || v > 0.95f)) saturated++;
        }
        double mean = sum / y.Length, std = Math.Sqrt(Math.Max(0, sq / y.Length - mean * mean));
        int dead = 0;
        if (kind is ActivationKind.Relu or ActivationKind.LeakyRelu or ActivationKind.Elu)
        {
            for (int u = 0; u < units; u++)
            {
                bool alive = false;
                for (int i = 0; i < n && !alive; i++) alive = y[i * units + u] > 0;
                if (!alive) dead++;
            }
        }
        return new ActivationStatistics(layer, mean, std, (double)dead / units, (double)saturated / y.Length);
    }
}
