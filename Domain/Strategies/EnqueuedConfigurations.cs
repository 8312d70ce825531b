using HpSearch.Domain.Experiments;
using HpSearch.Domain.Search;

namespace HpSearch.Domain.Strategies;

/// <summary>Which enqueued configuration comes next: the first that no trial has run yet. Judged from the trials'
/// parameters, not their numbers, so a schedule's warm-start trials or a controller re-run neither skip nor repeat one.</summary>
internal static class EnqueuedConfigurations
{
    public static IReadOnlyDictionary<string, object>? Next(IReadOnlyList<IReadOnlyDictionary<string, object>>? enqueued, IReadOnlyList<TrialRecord> history) =>
        enqueued?.FirstOrDefault(config => !history.Any(t => Matches(config, t.Params)));

    private static bool Matches(IReadOnlyDictionary<string, object> config, IReadOnlyDictionary<string, object> values) =>
        config.All(kv => values.TryGetValue(kv.Key, out var v) && Same(kv.Value, v));

    private static bool Same(object a, object b)
    {
        if (ParameterValue.AsString(a) == ParameterValue.AsString(b)) return true;
        try { return ParameterValue.AsDouble(a) == ParameterValue.AsDouble(b); }
        catch (FormatException) { return false; }
    }
}
