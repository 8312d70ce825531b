namespace HpSearch.Engine;

/// <summary>Gradient clipping by global norm (Pascanu et al. 2013) and the max-norm weight constraint
/// (Srebro &amp; Shraibman 2005; used with dropout by Srivastava et al. 2014).</summary>
public static class Constraints
{
    public static double GlobalNorm(IEnumerable<Parameter> parameters) =>
        Math.Sqrt(parameters.Sum(p => VectorOps.SumOfSquares(p.Grad)));

    /// <summary>Scales all gradients so their global L2 norm is at most <paramref name="maxNorm"/>; returns the norm before.</summary>
    public static double ClipGradients(IReadOnlyList<Parameter> parameters, double maxNorm)
    {
        double norm = GlobalNorm(parameters);
        if (norm > maxNorm && norm > 0)
        {
            float scale = (float)(maxNorm / norm);
            foreach (var p in parameters) VectorOps.Scale(scale, p.Grad);
        }
        return norm;
    }

    /// <summary>Rescales each unit's incoming weight vector (a column of a [fanIn, units] matrix) to norm ≤ c.
    /// Only decaying (weight) parameters of rank ≥ 2 are constrained.</summary>
    public static void ApplyMaxNorm(IEnumerable<Parameter> parameters, float c)
    {
        foreach (var p in parameters.Where(p => p.Decay && p.Shape.Length >= 2))
        {
            int units = p.Shape[^1], fanIn = p.Length / units;
            var w = p.Value;
            for (int u = 0; u < units; u++)
            {
                double s = 0;
                for (int i = 0; i < fanIn; i++) s += (double)w[i * units + u] * w[i * units + u];
                double norm = Math.Sqrt(s);
                if (norm <= c) continue;
                float scale = (float)(c / norm);
                for (int i = 0; i < fanIn; i++) w[i * units + u] *= scale;
            }
        }
    }
}
