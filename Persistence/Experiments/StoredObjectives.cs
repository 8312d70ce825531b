using HpSearch.Domain.Experiments;
using HpSearch.Domain.Strategies;
using HpSearch.Persistence.Model;

namespace HpSearch.Persistence.Experiments;

/// <summary>One objective as stored and sent: its metric and <c>maximize</c> or <c>minimize</c>.</summary>
public sealed record StoredObjective(string Metric, string Direction);

/// <summary>A front member as stored in <c>experiments.front_json</c> and sent in the experiment's <c>front</c>.</summary>
public sealed record StoredFrontMember(Guid TrialId, int Number, IReadOnlyList<double> Values);

/// <summary>The one place that reads and writes an experiment's objectives and Pareto front columns.</summary>
public static class StoredObjectives
{
    /// <summary>The objectives column of a new experiment: null for a single objective (the row's metric and direction say it).</summary>
    public static string? ObjectivesJson(ExperimentSpec spec) =>
        spec.IsMultiObjective ? WireJson.Serialize(spec.Objectives.Select(ToStored).ToList()) : null;

    /// <summary>Every objective of a stored experiment, in the spec's order.</summary>
    public static IReadOnlyList<StoredObjective> Objectives(Experiment e) =>
        WireJson.Deserialize<List<StoredObjective>>(e.ObjectivesJson)
        ?? [new StoredObjective(e.ObjectiveMetric, e.Maximize ? "maximize" : "minimize")];

    /// <summary>The front column: the members with their trials' ids (<paramref name="ids"/> by trial number holds every member's).</summary>
    public static string FrontJson(IReadOnlyList<FrontMember> front, IReadOnlyDictionary<int, Guid> ids) =>
        WireJson.Serialize(front.Select(m => new StoredFrontMember(ids[m.Number], m.Number, m.Values)).ToList());

    /// <summary>The stored front; empty while none is known (and for a single objective).</summary>
    public static IReadOnlyList<StoredFrontMember> Front(Experiment e) =>
        WireJson.Deserialize<List<StoredFrontMember>>(e.FrontJson) ?? [];

    private static StoredObjective ToStored(Objective o) => new(o.Metric, o.Maximize ? "maximize" : "minimize");
}
