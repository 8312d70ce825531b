using HpSearch.Domain.Experiments;
using HpSearch.Domain.Sampling;
using HpSearch.Domain.Search;

namespace HpSearch.Domain.Importance;

/// <summary>
/// Parameter importance as in fANOVA (Hutter, Hoos &amp; Leyton-Brown, ICML 2014, https://proceedings.mlr.press/v32/hutter14.html):
/// a seeded random forest of regression trees maps the parameters (scaled to [0, 1], log-scaled where the space is
/// log, categoricals as equal cells) to the objective; each parameter's main-effect variance over the total,
/// averaged over the trees, normalised to sum to 1. Deterministic for a given seed.
/// </summary>
public static class ParameterImportance
{
    public const int Trees = 32;
    public const int MinTrials = 4;
    public const string Method =
        "fANOVA main effects: random forest of 32 seeded CART regression trees (bootstrap), first-order variance per parameter over the uniform measure on the scaled space, normalised to sum to 1";

    /// <summary>Importance of each searched (non-fixed) parameter from the finished trials' best objective values.
    /// With fewer than <see cref="MinTrials"/> trials, or an objective that does not vary, every parameter gets an equal share.</summary>
    public static ImportanceReport Compute(IEnumerable<TrialRecord> trials, SearchSpace space, Objective objective, int seed = 0)
    {
        var parameters = space.Parameters.Where(p => p.Kind != ParameterKind.Fixed).ToList();
        if (parameters.Count == 0) return new ImportanceReport(Method, 0, []);
        var rows = trials
            .Where(t => t.Status is TrialStatus.Completed or TrialStatus.Pruned && t.Options is not { IsDiagnostic: true })
            .Select(t => (Trial: t, Value: t.BestValue(objective)))
            .Where(r => r.Value is not null && parameters.All(p => p.When is not null || r.Trial.Params.ContainsKey(p.Name)))
            .ToList();
        var x = rows.Select(r => parameters.Select(p => Feature(p, r.Trial.Params)).ToArray()).ToArray();
        var y = rows.Select(r => r.Value!.Value).ToArray();

        var sums = new double[parameters.Count];
        if (rows.Count >= MinTrials && y.Distinct().Count() > 1)
        {
            var perSplit = Math.Max(1, (int)Math.Ceiling(parameters.Count * 2 / 3.0));
            for (var k = 0; k < Trees; k++)
            {
                var rng = new Random(Seeds.Derive(seed, 77, k));
                var sample = Enumerable.Range(0, rows.Count).Select(_ => rng.Next(rows.Count)).ToArray();
                var (total, main) = new RegressionTree(x, y, sample, rng, perSplit).Decompose();
                if (total <= 0) continue;
                for (var f = 0; f < main.Length; f++) sums[f] += main[f] / total;
            }
        }
        var sum = sums.Sum();
        var shares = parameters.Select((p, f) => new ParameterShare(p.Name, sum > 0 ? sums[f] / sum : 1.0 / parameters.Count))
            .OrderByDescending(s => s.Importance).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
        return new ImportanceReport(Method, rows.Count, shares);
    }

    /// <summary>Share of a conditional parameter's axis standing for "absent": its values are scaled onto the rest.</summary>
    public const double AbsentShare = 0.2;

    /// <summary>A trial's feature for <paramref name="p"/>. A conditional parameter's axis gives its first
    /// <see cref="AbsentShare"/> to the trials where it does not exist and the rest to its values, so its importance
    /// counts both whether it exists and what it is (an approximation of fANOVA on a conditional space; docs/strategies.md).</summary>
    private static double Feature(ParameterSpec p, IReadOnlyDictionary<string, object> values)
    {
        if (p.When is null) return Scale(p, values[p.Name]);
        return values.TryGetValue(p.Name, out var v) ? AbsentShare + (1 - AbsentShare) * Scale(p, v) : AbsentShare / 2;
    }

    /// <summary>A parameter value on [0, 1]: log-scaled on log scales; a categorical's k-th choice at the middle of the k-th of K cells.</summary>
    public static double Scale(ParameterSpec p, object value)
    {
        if (p.Kind is ParameterKind.Categorical)
        {
            var text = ParameterValue.AsString(value);
            var k = p.Choices.Select(ParameterValue.AsString).ToList().IndexOf(text);
            return k < 0 ? 0.5 : (k + 0.5) / p.Choices.Count;
        }
        var v = ParameterValue.AsDouble(value);
        var t = p.IsLogScale
            ? (Math.Log(Math.Max(v, p.Low)) - Math.Log(p.Low)) / (Math.Log(p.High) - Math.Log(p.Low))
            : (v - p.Low) / (p.High - p.Low);
        return Math.Clamp(t, 0, 1);
    }
}
