using HpSearch.Domain.Search;

namespace HpSearch.Domain.Sampling;

/// <summary>
/// A Parzen (kernel density) estimator over one or more parameters, TPE's l(x) or g(x) (Bergstra et al., NeurIPS 2011,
/// https://papers.nips.cc/paper/4443-algorithms-for-hyper-parameter-optimization): a prior component plus one product kernel
/// per observation. Numeric parameters get truncated Gaussians on their search axis (log axis on log scales, ints widened by
/// ½ each side), with Scott's-rule bandwidth floored at range / min(100, n + 1); categoricals get a smoothed one-hot.
/// </summary>
internal sealed class ParzenEstimator
{
    /// <summary>Share of a categorical kernel's mass spread over all choices (the rest sits on the observed choice).</summary>
    public const double CategoricalSmoothing = 0.2;
    /// <summary>Scott's-rule factor of the numeric bandwidth: σ = 0.2 · n^(−1/(d+4)) · range.</summary>
    public const double BandwidthFactor = 0.2;

    private readonly IReadOnlyList<ParameterSpec> _parameters;
    private readonly List<object[]> _centres = [];
    private readonly double[] _sigma;

    /// <param name="observations">Each observation's values, in the order of <paramref name="parameters"/>.</param>
    public ParzenEstimator(IReadOnlyList<ParameterSpec> parameters, IReadOnlyList<object[]> observations, double priorWeight = 1.0)
    {
        _parameters = parameters;
        PriorWeight = priorWeight;
        _centres.AddRange(observations);
        var n = observations.Count;
        var d = parameters.Count;
        _sigma = parameters.Select(p =>
        {
            if (p.Kind == ParameterKind.Categorical) return 0.0;
            var (lo, hi) = Bounds(p);
            var range = hi - lo;
            return Math.Max(BandwidthFactor * Math.Pow(Math.Max(n, 1), -1.0 / (d + 4)) * range, range / Math.Min(100, n + 1));
        }).ToArray();
    }

    public double PriorWeight { get; }

    /// <summary>log density of a point (values in the order of the parameters, as the search space holds them).</summary>
    public double LogPdf(object[] point)
    {
        var total = PriorWeight + _centres.Count;
        var terms = new double[_centres.Count + 1];
        terms[0] = Math.Log(PriorWeight / total) + LogKernel(point, null);
        for (var i = 0; i < _centres.Count; i++) terms[i + 1] = Math.Log(1 / total) + LogKernel(point, _centres[i]);
        return LogSumExp(terms);
    }

    /// <summary>One draw: a component chosen by weight, then each parameter from its kernel.</summary>
    public object[] Sample(Random rng)
    {
        var total = PriorWeight + _centres.Count;
        var u = rng.NextDouble() * total;
        object[]? centre = u < PriorWeight ? null : _centres[Math.Min(_centres.Count - 1, (int)((u - PriorWeight) / 1.0))];
        var point = new object[_parameters.Count];
        for (var j = 0; j < _parameters.Count; j++)
        {
            var p = _parameters[j];
            if (p.Kind == ParameterKind.Categorical)
            {
                point[j] = centre is not null && rng.NextDouble() >= CategoricalSmoothing
                    ? centre[j]
                    : p.Choices[rng.Next(p.Choices.Count)];
                continue;
            }
            var (lo, hi) = Bounds(p);
            var (mu, sigma) = centre is null ? ((lo + hi) / 2, hi - lo) : (Encode(p, centre[j]), _sigma[j]);
            point[j] = Decode(p, TruncatedNormal.Sample(rng, mu, sigma, lo, hi));
        }
        return point;
    }

    private double LogKernel(object[] point, object[]? centre)
    {
        var sum = 0.0;
        for (var j = 0; j < _parameters.Count; j++)
        {
            var p = _parameters[j];
            if (p.Kind == ParameterKind.Categorical)
            {
                var k = p.Choices.Count;
                var same = centre is not null && ParameterValue.AsString(point[j]) == ParameterValue.AsString(centre[j]);
                sum += Math.Log(centre is null ? 1.0 / k : (same ? 1 - CategoricalSmoothing : 0) + CategoricalSmoothing / k);
                continue;
            }
            var (lo, hi) = Bounds(p);
            var (mu, sigma) = centre is null ? ((lo + hi) / 2, hi - lo) : (Encode(p, centre[j]), _sigma[j]);
            sum += TruncatedNormal.LogPdf(Math.Clamp(Encode(p, point[j]), lo, hi), mu, sigma, lo, hi);
        }
        return sum;
    }

    /// <summary>The parameter's axis: log on log scales; an int's range widened by ½ each side so its ends are as likely as the rest.</summary>
    public static (double Low, double High) Bounds(ParameterSpec p)
    {
        var (lo, hi) = p.Kind == ParameterKind.Int ? (p.Low - 0.5, p.High + 0.5) : (p.Low, p.High);
        if (p.IsLogScale) return (Math.Log(Math.Max(lo, p.Low / 2)), Math.Log(hi));
        return (lo, hi);
    }

    public static double Encode(ParameterSpec p, object value)
    {
        var x = ParameterValue.AsDouble(value);
        return p.IsLogScale ? Math.Log(x) : x;
    }

    public static object Decode(ParameterSpec p, double u)
    {
        var x = p.IsLogScale ? Math.Exp(u) : u;
        return p.Kind == ParameterKind.Int ? (object)(long)Math.Clamp(Math.Round(x), p.Low, p.High) : Math.Clamp(x, p.Low, p.High);
    }

    private static double LogSumExp(double[] xs)
    {
        var max = xs.Max();
        if (double.IsNegativeInfinity(max)) return max;
        return max + Math.Log(xs.Sum(x => Math.Exp(x - max)));
    }
}
