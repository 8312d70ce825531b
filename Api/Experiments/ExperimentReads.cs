using HpSearch.Api.Trials;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence;
using HpSearch.Persistence.Experiments;
using HpSearch.Persistence.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace HpSearch.Api.Experiments;

/// <summary>The reads of one experiment's trials that must stay flat as it grows: pages sorted in the database, curves of
/// the trials a view shows, importance computed once per finished-trial set.</summary>
public static partial class ExperimentsApi
{
    /// <summary>Largest trials page.</summary>
    public const int MaxTrialsPerPage = 5000;

    /// <summary>Trials of an experiment, a page at a time, sorted in the database by number, value (best first), status or
    /// duration, ascending or descending, ties by number.</summary>
    public static async Task<Results<Ok<PageDto<TrialSummaryDto>>, ProblemHttpResult, ValidationProblem>> ListTrials(
        Guid id, HpSearchDb db, string? status, string? page, string? pageSize, string? sort, string? order, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var p = Paging.Read(page, "page", 1, errors);
        var size = Paging.Read(pageSize, "pageSize", 100, errors);
        var wanted = TrialStatus.Queued;
        if (status is not null && !Lifecycle.TryParseWire(status, out wanted))
            errors["status"] = ["must be one of queued, running, completed, pruned, diverged, failed, cancelled."];
        if (p < 1) errors.TryAdd("page", ["must be at least 1."]);
        if (size is < 1 or > MaxTrialsPerPage) errors.TryAdd("pageSize", [$"must be between 1 and {MaxTrialsPerPage}."]);
        else if ((long)(p - 1) * size > MaxOffset) errors.TryAdd("page", [$"is too large: page × pageSize must stay below {MaxOffset}."]);
        sort ??= "number";
        if (!TrialOrder.Sorts.Contains(sort)) errors["sort"] = [$"must be one of {string.Join(", ", TrialOrder.Sorts)}."];
        if (order is not (null or "asc" or "desc")) errors["order"] = ["must be 'asc' or 'desc'."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var experiment = await db.Experiments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (experiment is null) return TypedResults.Problem(Problems.NotFound($"experiment {id} does not exist."));
        // The total from the experiment's counters (one row), not a count of its trials.
        var counters = await Counters.ReadAsync(db, id, cancellationToken);
        var total = status is null ? counters.Trials : counters.Count(wanted);
        var trials = await OrderedAsync(db, id, status is null ? null : wanted, TrialOrder.Sql(sort, order, experiment.Maximize)!,
            (p - 1) * size, size, cancellationToken);
        return TypedResults.Ok(new PageDto<TrialSummaryDto>(await TrialQueries.SummariesAsync(db, trials, cancellationToken), p, size, total));
    }

    /// <summary>One page of an experiment's trials in <paramref name="orderSql"/> (from <see cref="TrialOrder"/> only).</summary>
    private static Task<List<Trial>> OrderedAsync(HpSearchDb db, Guid id, TrialStatus? status, string orderSql, int offset, int limit,
        CancellationToken cancellationToken)
    {
        var filter = status is null ? "" : "AND status = @status";
        var sql = $"SELECT * FROM trials WHERE experiment_id = @id {filter} ORDER BY {orderSql} LIMIT @limit OFFSET @offset";
        List<NpgsqlParameter> parameters = [new("id", id), new("limit", limit), new("offset", offset)];
        if (status is { } s) parameters.Add(new("status", s.ToWire()));
        return db.Trials.FromSqlRaw(sql, [.. parameters]).AsNoTracking().ToListAsync(cancellationToken);
    }

    /// <summary>Most trials one curves response carries (a page, a top-k or a selection).</summary>
    public const int MaxCurvesPerPage = 1000;

    /// <summary>Most points a downsampled curve may be asked for.</summary>
    public const int MaxPointsLimit = 10_000;

    /// <summary>Learning curves of the trials a view shows: the <c>top</c> k by objective (best first, ties by number), the
    /// trials named in <c>ids</c> (comma-separated; both together give their union), or else a page by number. With
    /// <c>maxPoints</c> each curve keeps at most that many epochs, evenly spread, the first and last always kept.</summary>
    public static async Task<Results<Ok<CurvesDto>, ProblemHttpResult, ValidationProblem>> GetCurves(
        Guid id, HpSearchDb db, string? page, string? pageSize, string? top, string? ids, string? maxPoints, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var p = Paging.Read(page, "page", 1, errors);
        var size = Paging.Read(pageSize, "pageSize", MaxCurvesPerPage, errors);
        var k = Paging.Read(top, "top", 0, errors);
        var points = Paging.Read(maxPoints, "maxPoints", 0, errors);
        if (p < 1) errors.TryAdd("page", ["must be at least 1."]);
        if (size is < 1 or > MaxCurvesPerPage) errors.TryAdd("pageSize", [$"must be between 1 and {MaxCurvesPerPage}."]);
        else if ((long)(p - 1) * size > MaxOffset) errors.TryAdd("page", [$"is too large: page × pageSize must stay below {MaxOffset}."]);
        if (top is not null && k is < 1 or > MaxCurvesPerPage) errors.TryAdd("top", [$"must be between 1 and {MaxCurvesPerPage}."]);
        if (maxPoints is not null && points is < 2 or > MaxPointsLimit) errors.TryAdd("maxPoints", [$"must be between 2 and {MaxPointsLimit}."]);
        var selected = new List<Guid>();
        if (ids is not null)
        {
            foreach (var part in ids.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                if (Guid.TryParse(part, out var g)) selected.Add(g);
                else { errors.TryAdd("ids", [$"'{Truncate(part)}' is not a trial id; give trial ids separated by commas."]); break; }
            if (selected.Count is 0) errors.TryAdd("ids", ["must name at least one trial id."]);
            else if (selected.Distinct().Count() > MaxCurvesPerPage) errors.TryAdd("ids", [$"may name at most {MaxCurvesPerPage} trials."]);
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var experiment = await db.Experiments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (experiment is null) return TypedResults.Problem(Problems.NotFound($"experiment {id} does not exist."));

        List<(Guid Id, int Number, TrialStatus Status)> trials;
        if (top is null && ids is null)
            trials = (await db.Trials.AsNoTracking().Where(t => t.ExperimentId == id).OrderBy(t => t.Number)
                .Skip((p - 1) * size).Take(size).Select(t => new { t.Id, t.Number, t.Status }).ToListAsync(cancellationToken))
                .Select(t => (t.Id, t.Number, t.Status)).ToList();
        else
        {
            trials = [];
            if (top is not null)
                trials.AddRange((await OrderedAsync(db, id, null, TrialOrder.Sql("value", null, experiment.Maximize)!, 0, k, cancellationToken))
                    .Select(t => (t.Id, t.Number, t.Status)));
            if (selected.Count > 0)
            {
                var have = trials.Select(t => t.Id).ToHashSet();
                var wanted = selected.Where(have.Add).ToList();
                trials.AddRange((await db.Trials.AsNoTracking().Where(t => t.ExperimentId == id && wanted.Contains(t.Id)).OrderBy(t => t.Number)
                    .Select(t => new { t.Id, t.Number, t.Status }).ToListAsync(cancellationToken)).Select(t => (t.Id, t.Number, t.Status)));
            }
        }
        var trialIds = trials.Select(t => t.Id).ToList();
        var epochs = await db.TrialEpochs.AsNoTracking().Where(e => trialIds.Contains(e.TrialId)).OrderBy(e => e.Epoch)
            .Select(e => new { e.TrialId, e.Epoch, e.TrainLoss, e.ValLoss, e.ValAccuracy }).ToListAsync(cancellationToken);
        var byTrial = epochs.ToLookup(e => e.TrialId);
        var curves = trials.Select(t =>
        {
            var rows = byTrial[t.Id].ToList();
            if (maxPoints is not null) rows = Downsample(rows, points);
            return new TrialCurveDto(t.Id, t.Number, t.Status.ToWire(), rows.Select(r => r.Epoch).ToList(),
                rows.Select(r => r.TrainLoss).ToList(), rows.Select(r => r.ValLoss).ToList(), rows.Select(r => r.ValAccuracy).ToList());
        }).ToList();
        return TypedResults.Ok(new CurvesDto(["trainLoss", "valLoss", "valAccuracy"], curves));
    }

    /// <summary>At most <paramref name="max"/> of <paramref name="rows"/>, evenly spread by position, first and last kept.</summary>
    public static List<T> Downsample<T>(IReadOnlyList<T> rows, int max)
    {
        if (rows.Count <= max) return [.. rows];
        var kept = new List<T>(max);
        var last = -1;
        for (var i = 0; i < max; i++)
        {
            var at = (int)Math.Round(i * (rows.Count - 1) / (double)(max - 1));
            if (at == last) continue;
            kept.Add(rows[at]);
            last = at;
        }
        return kept;
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>Which searched parameters matter: variance of the objective explained per parameter, computed in Domain once
    /// per finished-trial set (its count and the sum of its finish times, from the experiment's counters: a trial that ends, or
    /// re-runs, changes it; an epoch of a running trial does not) and cached, so repeated reads cost two primary-key lookups.</summary>
    public static async Task<Results<Ok<ImportanceDto>, ProblemHttpResult>> GetImportance(
        Guid id, HpSearchDb db, IMemoryCache cache, CancellationToken cancellationToken)
    {
        var experiment = await db.Experiments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (experiment is null) return TypedResults.Problem(Problems.NotFound($"experiment {id} does not exist."));
        // The finished-trial set as the counters see it: how many, and the sum of their finish times (a trial that enters,
        // leaves or finishes again changes it), read from one row instead of aggregated over the trials.
        var counters = await Counters.ReadAsync(db, id, cancellationToken);
        var key = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"importance:{id:N}:{ImportanceStatuses.Sum(counters.Count)}:{counters.FinishedAtSum}");
        if (cache.TryGetValue(key, out ImportanceDto? cached) && cached is not null) return TypedResults.Ok(cached);

        var spec = ExperimentStore.TryParseSpec(experiment);
        ImportanceDto dto;
        if (spec is null) dto = new ImportanceDto("unavailable: the stored spec cannot be read", 0, []);
        else
        {
            var report = Domain.Importance.ParameterImportance.Compute(await FinishedAtBestAsync(db, id, cancellationToken), spec.SearchSpace, spec.Objective);
            dto = new ImportanceDto(report.Method, report.Trials, report.Parameters.Select(p => new ParameterImportanceDto(p.Name, p.Importance)).ToList());
        }
        cache.Set(key, dto, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) });
        return TypedResults.Ok(dto);
    }

    /// <summary>The statuses whose trials importance reads (Domain's ParameterImportance uses completed and pruned ones; the
    /// counters' finish-time sum covers the same two, in migration ExperimentCounters).</summary>
    private static readonly TrialStatus[] ImportanceStatuses = [TrialStatus.Completed, TrialStatus.Pruned];

    /// <summary>The finished trials importance uses, each with only its best epoch: the trial's best value is that epoch's,
    /// so the Domain sees the same values as from every epoch, from one row per trial instead of all of them.</summary>
    private static async Task<List<TrialRecord>> FinishedAtBestAsync(HpSearchDb db, Guid id, CancellationToken cancellationToken)
    {
        var used = ImportanceStatuses;
        var rows = await (
            from t in db.Trials.AsNoTracking()
            where t.ExperimentId == id && used.Contains(t.Status)
            join e in db.TrialEpochs.AsNoTracking() on new { T = t.Id, E = t.BestEpoch ?? -1 } equals new { T = e.TrialId, E = e.Epoch } into best
            from e in best.DefaultIfEmpty()
            orderby t.Number
            select new { t, e }).ToListAsync(cancellationToken);
        return rows.Select(r => ExperimentStore.ToRecord(r.t, r.e is null ? [] : [r.e])).ToList();
    }
}
