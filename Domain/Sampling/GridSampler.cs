using HpSearch.Domain.Experiments;
using HpSearch.Domain.Search;

namespace HpSearch.Domain.Sampling;

/// <summary>
/// Grid search: every combination of the parameters' grid values, trial n taking the n-th in a fixed order
/// (the first parameter changes slowest; past the end it wraps around). Categorical values and whole int ranges
/// are taken as they are; a continuous range (or an int range with <c>points</c>) gives <c>points</c> evenly spaced
/// values including both ends, log-spaced on log scales; fixed parameters pass through. In a conditional space a
/// parameter is gridded only where its condition holds (see <see cref="Blocks"/>), so each distinct configuration comes once.
/// </summary>
public sealed class GridSampler(int gridPoints = 3) : ISampler
{
    /// <summary>The most values an int range without <c>points</c> may give (the spec check asks for points above it).</summary>
    public const int MaxIntValues = 10_000;

    /// <summary>The most combinations of a conditional grid's parent values (the spec check refuses more).</summary>
    public const int MaxParentAssignments = 100_000;

    public int? Size(SearchSpace space) => (int)Math.Min(int.MaxValue, Blocks(space).Sum(b => b.Size));

    public IReadOnlyDictionary<string, object> Suggest(SearchSpace space, int trialNumber, IReadOnlyList<TrialRecord> history)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trialNumber);
        var blocks = Blocks(space);
        var index = (long)trialNumber % Math.Min(int.MaxValue, blocks.Sum(b => b.Size));
        var block = blocks[0];
        foreach (var b in blocks)
        {
            block = b;
            if (index < b.Size) break;
            index -= b.Size;
        }
        var values = new Dictionary<string, object>(block.Fixed, StringComparer.Ordinal);
        for (var i = block.Axes.Count - 1; i >= 0; i--)
        {
            var (name, axis) = block.Axes[i];
            values[name] = axis[(int)(index % axis.Count)];
            index /= axis.Count;
        }
        return values;
    }

    /// <summary>How many combinations of values the parents of a conditional space have.</summary>
    public static long ParentAssignments(SearchSpace space) =>
        space.Parents.Aggregate(1L, (n, p) => Math.Min(long.MaxValue / 1001, n * Math.Max(1, p.Choices.Count)));

    /// <summary>
    /// The grid as blocks of distinct configurations. Without conditions: one block, every parameter an axis (the first
    /// changing slowest). With conditions: one block per combination of the parents' values (the first parent slowest),
    /// holding the parents that exist there at those values and the other parameters that exist there as axes; a parent
    /// that does not exist in a combination is taken at its first value only, so no configuration repeats.
    /// </summary>
    private IReadOnlyList<Block> Blocks(SearchSpace space) => _blocks.GetValue(space, BuildBlocks);

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SearchSpace, IReadOnlyList<Block>> _blocks = new();

    private IReadOnlyList<Block> BuildBlocks(SearchSpace space)
    {
        if (!space.IsConditional)
            return [Block.Of(new Dictionary<string, object>(StringComparer.Ordinal), space.Parameters.Select(p => (p.Name, Axis(p))).ToList())];
        var parents = space.Parents;
        var others = space.Parameters.Where(p => !parents.Contains(p)).ToList();
        var blocks = new List<Block>();
        var counts = parents.Select(p => p.Choices.Count).ToArray();
        var digits = new int[parents.Count];
        while (true)
        {
            var assignment = new Dictionary<string, object>(StringComparer.Ordinal);
            for (var i = 0; i < parents.Count; i++) assignment[parents[i].Name] = parents[i].Choices[digits[i]];
            var duplicate = false;
            for (var i = 0; i < parents.Count && !duplicate; i++)
                duplicate = digits[i] != 0 && !space.IsActive(parents[i], assignment);
            if (!duplicate)
            {
                var fixedValues = parents.Where(p => space.IsActive(p, assignment)).ToDictionary(p => p.Name, p => assignment[p.Name], StringComparer.Ordinal);
                var axes = others.Where(p => space.IsActive(p, assignment)).Select(p => (p.Name, Axis(p))).ToList();
                blocks.Add(Block.Of(fixedValues, axes));
            }
            var d = parents.Count - 1;
            while (d >= 0 && ++digits[d] == counts[d]) digits[d--] = 0;
            if (d < 0) break;
        }
        return blocks;
    }

    private sealed record Block(Dictionary<string, object> Fixed, IReadOnlyList<(string Name, IReadOnlyList<object> Axis)> Axes, long Size)
    {
        public static Block Of(Dictionary<string, object> fixedValues, IReadOnlyList<(string Name, IReadOnlyList<object> Axis)> axes) =>
            new(fixedValues, axes, axes.Aggregate(1L, (n, a) => Math.Min(int.MaxValue, n * a.Axis.Count)));
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
