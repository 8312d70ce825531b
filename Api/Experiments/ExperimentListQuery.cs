using HpSearch.Domain.Experiments;
using HpSearch.Persistence.Model;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Api.Experiments;

/// <summary>The list's search and sort, read from the query string (every bad value a named error) and applied as SQL:
/// filters in the WHERE clause, the sort in ORDER BY with the id as tie-break, so pages never overlap.</summary>
public sealed record ExperimentListQuery(
    ExperimentStatus? Status, string? Name, IReadOnlyList<string> Tags, string? Dataset, string? Trainer, string Sort, bool Descending)
{
    /// <summary>Fields the list sorts by: <c>createdAt</c> (the default), <c>name</c>, <c>status</c>, <c>dataset</c>, <c>trainer</c>,
    /// <c>bestValue</c> (the raw value; with several objectives the first objective's best on the front; experiments without one last)
    /// and <c>finishedAt</c>.</summary>
    public static readonly string[] SortFields = ["createdAt", "name", "status", "dataset", "trainer", "bestValue", "finishedAt"];

    /// <summary>Longest <c>q</c>, <c>dataset</c> or <c>trainer</c> value.</summary>
    public const int MaxTextLength = 200;

    public static ExperimentListQuery? Read(string? status, string? q, string[]? tags, string? dataset, string? trainer, string? sort, string? order,
        Dictionary<string, string[]> errors)
    {
        ExperimentStatus? wanted = null;
        if (status is not null)
        {
            if (Lifecycle.TryParseWire(status, out ExperimentStatus s)) wanted = s;
            else errors["status"] = ["must be one of queued, running, completed, failed, cancelled."];
        }
        foreach (var (name, value) in new[] { ("q", q), ("dataset", dataset), ("trainer", trainer) })
            if (value is not null && (value.Length > MaxTextLength || Domain.Validation.JsonText.Problem(value) is not null))
                errors[name] = [$"must be at most {MaxTextLength} printable characters."];
        tags ??= [];
        if (tags.Length > ExperimentLabels.MaxTags) errors["tag"] = [$"at most {ExperimentLabels.MaxTags} tags may be asked for."];
        else if (tags.FirstOrDefault(t => !ExperimentLabels.IsTag(t)) is { } bad)
            errors["tag"] = [$"'{(Domain.Validation.JsonText.Problem(bad) is null ? bad : "?")}' is not a tag: a tag is {ExperimentLabels.TagRule}."];
        var field = sort ?? "createdAt";
        if (!SortFields.Contains(field, StringComparer.Ordinal))
            errors["sort"] = [$"unknown sort field '{(Domain.Validation.JsonText.Problem(field) is null && field.Length <= 64 ? field : "?")}'; one of {string.Join(", ", SortFields)}."];
        if (order is not (null or "asc" or "desc")) errors["order"] = ["must be 'asc' or 'desc'."];
        if (errors.Count > 0) return null;
        var descending = order is null ? field is "createdAt" or "finishedAt" or "bestValue" : order == "desc";
        return new ExperimentListQuery(wanted, string.IsNullOrWhiteSpace(q) ? null : q.Trim(), tags.Distinct().ToList(),
            string.IsNullOrEmpty(dataset) ? null : dataset, string.IsNullOrEmpty(trainer) ? null : trainer, field, descending);
    }

    public IQueryable<Experiment> Apply(IQueryable<Experiment> query)
    {
        if (Status is { } s) query = query.Where(e => e.Status == s);
        if (Name is not null)
        {
            // A literal substring: LIKE's wildcards in the search text match only themselves.
            var pattern = "%" + Name.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
            query = query.Where(e => EF.Functions.ILike(e.Name, pattern, @"\"));
        }
        // Array containment (wanted <@ tags, i.e. tags @> wanted), which the GIN index on experiments.tags serves.
        if (Tags.Count > 0)
        {
            var wanted = Tags.ToArray();
            query = query.Where(e => wanted.All(t => e.Tags.Contains(t)));
        }
        if (Dataset is not null) query = query.Where(e => e.Dataset == Dataset);
        if (Trainer is not null) query = query.Where(e => e.Trainer == Trainer);
        return query;
    }

    public IQueryable<Experiment> Order(IQueryable<Experiment> query)
    {
        IOrderedQueryable<Experiment> ordered = Sort switch
        {
            "name" => Descending ? query.OrderByDescending(e => e.Name) : query.OrderBy(e => e.Name),
            "status" => Descending ? query.OrderByDescending(e => e.Status) : query.OrderBy(e => e.Status),
            "dataset" => Descending ? query.OrderByDescending(e => e.Dataset) : query.OrderBy(e => e.Dataset),
            "trainer" => Descending ? query.OrderByDescending(e => e.Trainer) : query.OrderBy(e => e.Trainer),
            // Experiments without a value come last whichever the direction.
            "bestValue" => Descending
                ? query.OrderBy(e => e.BestValue == null).ThenByDescending(e => e.BestValue)
                : query.OrderBy(e => e.BestValue == null).ThenBy(e => e.BestValue),
            "finishedAt" => Descending
                ? query.OrderBy(e => e.FinishedAt == null).ThenByDescending(e => e.FinishedAt)
                : query.OrderBy(e => e.FinishedAt == null).ThenBy(e => e.FinishedAt),
            _ => Descending ? query.OrderByDescending(e => e.CreatedAt) : query.OrderBy(e => e.CreatedAt),
        };
        return Sort == "createdAt"
            ? (Descending ? ordered.ThenByDescending(e => e.Id) : ordered.ThenBy(e => e.Id))
            : (Descending ? ordered.ThenByDescending(e => e.CreatedAt) : ordered.ThenBy(e => e.CreatedAt)).ThenByDescending(e => e.Id);
    }
}
