using HpSearch.Domain.Experiments;
using HpSearch.Domain.Search;

namespace HpSearch.Domain.Sampling;

/// <summary>
/// Seeded random search (Bergstra &amp; Bengio, JMLR 2012, https://jmlr.org/papers/v13/bergstra12a.html).
/// Log-uniform parameters are drawn as 10^U(log10 low, log10 high).
/// </summary>
public sealed class RandomSampler(int seed) : ISampler
{
    public int? Size(SearchSpace space) => null;

    public IReadOnlyDictionary<string, object> Suggest(SearchSpace space, int trialNumber, IReadOnlyList<TrialRecord> history)
    {
        var rng = new Random(Seeds.Derive(seed, 1, trialNumber));
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var p in space.Parameters)
            values[p.Name] = Draw(p, rng);
        return values;
    }

    /// <summary>One draw of <paramref name="p"/> from <paramref name="rng"/>.</summary>
    public static object Draw(ParameterSpec p, Random rng) => p.Kind switch
    {
        ParameterKind.LogUniform => Math.Clamp(
            Math.Pow(10, Lerp(Math.Log10(p.Low), Math.Log10(p.High), rng.NextDouble())), p.Low, p.High),
        ParameterKind.Uniform => Lerp(p.Low, p.High, rng.NextDouble()),
        ParameterKind.Int when p.Log => (long)Math.Clamp(
            Math.Floor(Math.Exp(Lerp(Math.Log(p.Low), Math.Log(p.High + 1), rng.NextDouble()))), p.Low, p.High),
        ParameterKind.Int => (long)p.Low + rng.NextInt64((long)p.High - (long)p.Low + 1),
        ParameterKind.Categorical => p.Choices[rng.Next(p.Choices.Count)],
        _ => p.Choices[0],
    };

    private static double Lerp(double a, double b, double t) => a + (b - a) * t;
}
