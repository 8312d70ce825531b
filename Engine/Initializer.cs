namespace HpSearch.Engine;

public enum InitKind { Zeros, Normal, XavierUniform, XavierNormal, HeUniform, HeNormal, Orthogonal }

/// <summary>Weight initialisation schemes: Glorot &amp; Bengio 2010 (Xavier), He et al. 2015, Saxe et al. 2014
/// (orthogonal). Fan-in/fan-out of a [inputs, outputs] matrix or a conv kernel [k·k·Cin, Cout].</summary>
public static class Initializer
{
    /// <param name="gain">Scales every scheme (e.g. √2 for orthogonal with ReLU); 1 by default.</param>
    public static void Fill(Span<float> w, int fanIn, int fanOut, InitKind kind, Random random, double std = 0.01, double gain = 1)
    {
        switch (kind)
        {
            case InitKind.Zeros: w.Clear(); break;
            case InitKind.Normal: Normal(w, std * gain, random); break;
            case InitKind.XavierUniform: Uniform(w, gain * Math.Sqrt(6.0 / (fanIn + fanOut)), random); break;
            case InitKind.XavierNormal: Normal(w, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), random); break;
            case InitKind.HeUniform: Uniform(w, gain * Math.Sqrt(6.0 / fanIn), random); break;
            case InitKind.HeNormal: Normal(w, gain * Math.Sqrt(2.0 / fanIn), random); break;
            case InitKind.Orthogonal: Orthogonal(w, fanIn, fanOut, gain, random); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    public static InitKind Parse(string name) => name.ToLowerInvariant() switch
    {
        "zeros" or "zero" => InitKind.Zeros,
        "normal" => InitKind.Normal,
        "xavier" or "xavier-uniform" or "xavieruniform" or "glorot" => InitKind.XavierUniform,
        "xavier-normal" or "xaviernormal" => InitKind.XavierNormal,
        "he" or "he-normal" or "henormal" or "kaiming" => InitKind.HeNormal,
        "he-uniform" or "heuniform" => InitKind.HeUniform,
        "orthogonal" => InitKind.Orthogonal,
        _ => throw new ArgumentException($"Unknown init '{name}' (zeros, normal, xavier, xavier-normal, he, he-uniform, orthogonal)."),
    };

    public static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static void Normal(Span<float> w, double std, Random random)
    {
        for (int i = 0; i < w.Length; i++) w[i] = (float)(std * Gaussian(random));
    }

    private static void Uniform(Span<float> w, double limit, Random random)
    {
        for (int i = 0; i < w.Length; i++) w[i] = (float)((random.NextDouble() * 2 - 1) * limit);
    }

    /// <summary>Rows of a Gaussian matrix orthonormalised (modified Gram–Schmidt, in double) on the smaller side.</summary>
    private static void Orthogonal(Span<float> w, int rows, int cols, double gain, Random random)
    {
        bool transpose = rows > cols; // orthonormalise the shorter dimension's vectors
        int vecs = transpose ? cols : rows, len = transpose ? rows : cols;
        var q = new double[vecs, len];
        for (int i = 0; i < vecs; i++)
        {
            for (int j = 0; j < len; j++) q[i, j] = Gaussian(random);
            for (int pass = 0; pass < 2; pass++)
                for (int k = 0; k < i; k++)
                {
                    double dot = 0;
                    for (int j = 0; j < len; j++) dot += q[i, j] * q[k, j];
                    for (int j = 0; j < len; j++) q[i, j] -= dot * q[k, j];
                }
            double norm = 0;
            for (int j = 0; j < len; j++) norm += q[i, j] * q[i, j];
            norm = Math.Sqrt(norm);
            for (int j = 0; j < len; j++) q[i, j] /= norm;
        }
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                w[r * cols + c] = (float)(gain * (transpose ? q[c, r] : q[r, c]));
    }
}
