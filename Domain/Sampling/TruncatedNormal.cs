namespace HpSearch.Domain.Sampling;

/// <summary>A normal distribution truncated to [low, high]: log density and seeded draws (the kernels of <see cref="ParzenEstimator"/>).</summary>
internal static class TruncatedNormal
{
    private static readonly double LogSqrt2Pi = 0.5 * Math.Log(2 * Math.PI);

    public static double LogPdf(double x, double mu, double sigma, double low, double high)
    {
        if (x < low || x > high) return double.NegativeInfinity;
        var z = (x - mu) / sigma;
        var mass = Cdf((high - mu) / sigma) - Cdf((low - mu) / sigma);
        return -0.5 * z * z - LogSqrt2Pi - Math.Log(sigma) - Math.Log(Math.Max(mass, 1e-300));
    }

    /// <summary>Rejection sampling: a kernel is centred inside [low, high] with σ at most the range, so at least ~16 % of draws land.</summary>
    public static double Sample(Random rng, double mu, double sigma, double low, double high)
    {
        for (var i = 0; i < 200; i++)
        {
            var x = mu + sigma * StandardNormal(rng);
            if (x >= low && x <= high) return x;
        }
        return Math.Clamp(mu, low, high);
    }

    public static double StandardNormal(Random rng)
    {
        // Box–Muller; 1 − U keeps the logarithm's argument in (0, 1].
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Φ(z) through erfc (W. J. Cody's rational approximation via Numerical Recipes' erfc, |error| &lt; 1.2e-7).</summary>
    public static double Cdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
                + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
