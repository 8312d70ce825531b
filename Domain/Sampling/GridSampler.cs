using HpSearch.Domain.Experiments;
using HpSearch.Domain.Search;

namespace HpSearch.Domain.Sampling;

/// <summary>
/// Grid search: every combination of the parameters' grid values, trial n taking the n-th in a fixed order
/// (the first parameter changes slowest; past the end it wraps around). Categorical values and whole int ranges
/// are taken as they are; a continuous range (or an int range with <c>points</c>) gives <c>points</c> evenly spaced
/// values including both ends, log-spaced on log scales; fixed parameters pass through.
/// </summary>
public sealed class GridSampler(int gridPoints = 3) : ISampler
{
    /// <summary>The most values an int range without <c>points</c> may give (the spec check asks for points above it).</summary>
    public const int MaxIntValues = 10_000;

    public int? Size(SearchSpace space)
    {
        long size = 1;
        foreach (var p in space.Parameters) size = Math.Min(int.MaxValue, size * Axis(p).Count);
        return (int)size;
    }

    public IReadOnlyDictionary<string, object> Suggest(SearchSpace space, int trialNumber, IReadOnlyList<TrialRecord> history)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trialNumber);
        var axes = space.Parameters.Select(Axis).ToList();
        var index = (long)trialNumber % Size(space)!.Value;
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        for (var i = axes.Count - 1; i >= 0; i--)
        {
            values[space.Parameters[i].Name] = axes[i][(int)(index % axes[i].Count)];
            index /= axes[i].Count;
        }
        return values;
    }

    /// <summary>The grid values of one parameter, in order.</summary>
    public IReadOnlyList<object> Axis(ParameterSpec p)
    {
        switch (p.Kind)
        {
            case ParameterKind.Categorical or ParameterKind.Fixed:
                return p.Choices;
            case ParameterKind.Int when p.Points is null:
            {
                var count = (long)p.High - (long)p.Low + 1;
                if (count > MaxIntValues) throw new InvalidOperationException($"int parameter '{p.Name}' has {count} values; give it 'points'.");
                return Enumerable.Range(0, (int)count).Select(i => (object)((long)p.Low + i)).ToList();
            }
            case ParameterKind.Int:
                return Spaced(p, p.Points.Value).Select(x => (long)Math.Round(x)).Distinct().Select(x => (object)x).ToList();
            default:
                return Spaced(p, p.Points ?? gridPoints).Select(x => (object)x).ToList();
        }
    }

    private static IEnumerable<double> Spaced(ParameterSpec p, int points)
    {
        var (lo, hi) = p.IsLogScale ? (Math.Log(p.Low), Math.Log(p.High)) : (p.Low, p.High);
        for (var i = 0; i < points; i++)
        {
            var t = points == 1 ? 0.5 : (double)i / (points - 1);
            var x = lo + (hi - lo) * t;
            yield return Math.Clamp(p.IsLogScale ? Math.Exp(x) : x, p.Low, p.High);
        }
    }
}
