using System.Text.Json;
using System.Text.Json.Nodes;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence.Model;

namespace HpSearch.Workers.Schedules;

/// <summary>The previous run's best configurations, re-evaluated first by the next run so a nightly search continues
/// instead of starting over. Only the searched parameters are carried: the template's fixed params apply as they are now.</summary>
public static class WarmStart
{
    /// <summary>A JSON array of up to <paramref name="k"/> parameter objects, best first (distinct), or null when there are none.</summary>
    public static string? From(IReadOnlyList<Trial> previousTrials, bool maximize, ExperimentSpec spec, int k)
    {
        if (k <= 0) return null;
        var searched = spec.SearchSpace.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var ranked = previousTrials
            .Where(t => t.Status is TrialStatus.Completed or TrialStatus.Pruned && t.BestValue is { } v && double.IsFinite(v))
            .OrderBy(t => t.Status == TrialStatus.Completed ? 0 : 1)
            .ThenBy(t => maximize ? -t.BestValue!.Value : t.BestValue!.Value)
            .ThenBy(t => t.Number);
        var chosen = new List<JsonObject>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in ranked)
        {
            if (chosen.Count == Math.Min(k, spec.Budget.MaxTrials)) break;
            var all = JsonNode.Parse(t.ParamsJson) as JsonObject;
            if (all is null) continue;
            var picked = new JsonObject();
            foreach (var (name, value) in all)
                if (searched.Contains(name)) picked[name] = value?.DeepClone();
            if (picked.Count == 0 || !seen.Add(picked.ToJsonString())) continue;
            chosen.Add(picked);
        }
        return chosen.Count == 0 ? null : new JsonArray(chosen.ToArray<JsonNode?>()).ToJsonString();
    }

    /// <summary>The stored parameter sets, in order.</summary>
    public static IReadOnlyList<string> Parse(string? json)
    {
        if (string.IsNullOrEmpty(json)) return [];
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().Select(e => e.GetRawText()).ToList();
    }
}
