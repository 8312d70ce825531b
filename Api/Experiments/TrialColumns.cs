using System.Text.Json;
using HpSearch.Api.AskTell;
using HpSearch.Api.Trials;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence;
using HpSearch.Persistence.Experiments;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Api.Experiments;

/// <summary>
/// Every trial of an experiment in the compact, columnar form the dashboard's charts draw (docs/decisions/0026): one array
/// per field, index i of every array is the same trial, in trial-number order. Only what the charts draw — no best/last
/// epoch metrics (except the objectives' values at the best epoch when there are several objectives), no stop message,
/// no error, no summary — so 10,000 trials are a fraction of the trials pages' bytes.
/// </summary>
/// <param name="Count">Trials in this response.</param>
/// <param name="Next">The <c>after</c> of the next chunk (the last trial number here), or null when this is the last.</param>
/// <param name="StartedAt">Unix milliseconds, null when not started.</param>
/// <param name="FinishedAt">Unix milliseconds, null when not finished.</param>
/// <param name="StopRule">The stop reason's rule (asha, median, patience, …), null when none.</param>
/// <param name="Params">Per parameter name, its value for each trial (null: the trial has no such parameter).</param>
/// <param name="Objectives">With several objectives, per objective metric its value at each trial's best epoch; else empty.</param>
public sealed record TrialColumnsDto(
    int Count, int? Next,
    IReadOnlyList<Guid> Id, IReadOnlyList<int> Number, IReadOnlyList<string> Status, IReadOnlyList<string?> Stage,
    IReadOnlyList<int> Attempt, IReadOnlyList<double?> BestValue, IReadOnlyList<int?> BestEpoch,
    IReadOnlyList<int> EpochCount, IReadOnlyList<int> MaxEpochs, IReadOnlyList<string?> Worker,
    IReadOnlyList<long?> StartedAt, IReadOnlyList<long?> FinishedAt, IReadOnlyList<string?> StopRule,
    IReadOnlyDictionary<string, List<JsonElement?>> Params, IReadOnlyDictionary<string, List<double?>> Objectives);

public static partial class ExperimentsApi
{
    /// <summary>Most trials one columns response carries; a larger experiment is read in chunks with <c>after</c>.</summary>
    public const int MaxColumnsPerChunk = 20_000;

    /// <summary>The trials numbered above <c>after</c> (default: from the first), at most <c>limit</c> (default and maximum
    /// <see cref="MaxColumnsPerChunk"/>), as columns in number order (a keyset read on the (experiment, number) index).</summary>
    public static async Task<Results<Ok<TrialColumnsDto>, ProblemHttpResult, ValidationProblem>> GetTrialColumns(
        Guid id, HpSearchDb db, string? after, string? limit, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var from = Paging.Read(after, "after", -1, errors);
        var size = Paging.Read(limit, "limit", MaxColumnsPerChunk, errors);
        if (from < -1) errors.TryAdd("after", ["must be -1 or a trial number."]);
        if (size is < 1 or > MaxColumnsPerChunk) errors.TryAdd("limit", [$"must be between 1 and {MaxColumnsPerChunk}."]);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var experiment = await db.Experiments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (experiment is null) return TypedResults.Problem(Problems.NotFound($"experiment {id} does not exist."));

        var rows = await db.Trials.AsNoTracking().Where(t => t.ExperimentId == id && t.Number > from).OrderBy(t => t.Number).Take(size + 1)
            .Select(t => new
            {
                t.Id, t.Number, t.Status, t.Stage, t.Attempt, t.BestValue, t.BestEpoch, t.EpochCount, t.MaxEpochs, t.Worker,
                t.StartedAt, t.FinishedAt, t.StopReasonJson, t.ParamsJson,
            })
            .ToListAsync(cancellationToken);
        var more = rows.Count > size;
        if (more) rows.RemoveAt(rows.Count - 1);

        var parameters = new Dictionary<string, List<JsonElement?>>();
        for (var i = 0; i < rows.Count; i++)
        {
            using var doc = JsonDocument.Parse(rows[i].ParamsJson);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) continue;
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (!parameters.TryGetValue(p.Name, out var column))
                    parameters[p.Name] = column = [.. Enumerable.Repeat<JsonElement?>(null, rows.Count)];
                column[i] = p.Value.Clone();
            }
        }

        var objectives = new Dictionary<string, List<double?>>();
        var metrics = StoredObjectives.Objectives(experiment).Select(o => o.Metric).ToList();
        if (metrics.Count > 1)
        {
            var ids = rows.Where(r => r.BestEpoch is not null).Select(r => r.Id).ToList();
            var best = await (
                from e in db.TrialEpochs.AsNoTracking()
                join t in db.Trials on e.TrialId equals t.Id
                where ids.Contains(t.Id) && e.Epoch == t.BestEpoch
                select e).ToListAsync(cancellationToken);
            // The same metrics a trial summary's `best` carries, so the charts read an objective the same way from either.
            var byTrial = best.ToDictionary(e => e.TrialId, TrialQueries.Metrics);
            foreach (var m in metrics)
                objectives[m] = rows.Select(r => byTrial.TryGetValue(r.Id, out var v) ? v.GetValueOrDefault(m) : null).ToList();
        }

        return TypedResults.Ok(new TrialColumnsDto(rows.Count, more ? rows[^1].Number : null,
            rows.Select(r => r.Id).ToList(), rows.Select(r => r.Number).ToList(), rows.Select(r => r.Status.ToWire()).ToList(),
            rows.Select(r => r.Stage).ToList(), rows.Select(r => r.Attempt).ToList(), rows.Select(r => r.BestValue).ToList(),
            rows.Select(r => r.BestEpoch).ToList(), rows.Select(r => r.EpochCount).ToList(), rows.Select(r => r.MaxEpochs).ToList(),
            rows.Select(r => r.Worker).ToList(),
            rows.Select(r => r.StartedAt?.ToUnixTimeMilliseconds()).ToList(), rows.Select(r => r.FinishedAt?.ToUnixTimeMilliseconds()).ToList(),
            rows.Select(r => StopReasonDto.FromStored(r.StopReasonJson)?.Rule).ToList(), parameters, objectives));
    }
}
