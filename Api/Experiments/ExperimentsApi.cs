using System.Text;
using System.Text.Json;
using HpSearch.Api.Auth;
using HpSearch.Api.Trials;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Validation;
using HpSearch.Persistence;
using HpSearch.Persistence.Model;
using HpSearch.Workers.Experiments;
using HpSearch.Workers.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Api.Experiments;

public static partial class ExperimentsApi
{
    /// <summary>Largest accepted spec body.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapExperimentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/experiments").WithTags("Experiments");
        group.MapPost("/", CreateExperiment).WithName("CreateExperiment").RequireApiKey()
            .Accepts<JsonElement>("application/json")
            .Produces<ExperimentSummaryDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        group.MapGet("/", ListExperiments).WithName("ListExperiments");
        group.MapGet("/{id:guid}", GetExperiment).WithName("GetExperiment");
        group.MapGet("/{id:guid}/trials", ListTrials).WithName("ListTrials");
        group.MapGet("/{id:guid}/curves", GetCurves).WithName("GetCurves");
        group.MapGet("/{id:guid}/importance", GetImportance).WithName("GetImportance");
        group.MapPost("/{id:guid}/cancel", CancelExperiment).WithName("CancelExperiment").RequireApiKey();
        group.MapGet("/{id:guid}/export", ExportExperiment).WithName("ExportExperiment");
        group.MapGet("/{id:guid}/events", ExperimentEvents.StreamAsync).WithName("ExperimentEvents");
        return app;
    }

    /// <summary>Validates and stores a sweep, then schedules its controller.</summary>
    public static async Task<Results<Created<ExperimentSummaryDto>, Ok<ExperimentSummaryDto>, ValidationProblem>> CreateExperiment(
        HttpRequest request, HpSearchDb db, ISpecCatalog catalog, JobQueue jobs, TimeProvider clock, ILoggerFactory loggers,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (idempotencyKey is { Length: > 200 })
            return TypedResults.ValidationProblem(Errors("Idempotency-Key", "must be at most 200 characters."));
        if (idempotencyKey is not null)
        {
            var existing = await db.Experiments.AsNoTracking().SingleOrDefaultAsync(e => e.IdempotencyKey == idempotencyKey, cancellationToken);
            if (existing is not null) return TypedResults.Ok(await ExperimentQueries.DetailAsync(db, existing, cancellationToken));
        }

        var (json, bodyError) = await ReadBodyAsync(request, cancellationToken);
        if (bodyError is not null) return TypedResults.ValidationProblem(Errors("$", bodyError));
        using var doc = json!;

        var errors = new SpecErrors();
        var spec = ExperimentSpec.TryParse(doc.RootElement, catalog, errors);
        if (spec is null || !errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());

        var experiment = ExperimentFactory.Create(spec, doc.RootElement.GetRawText(), clock.GetUtcNow(), idempotencyKey);
        db.Experiments.Add(experiment);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (idempotencyKey is not null)
        {
            // A concurrent request with the same key won the race: answer with its experiment.
            db.ChangeTracker.Clear();
            var winner = await db.Experiments.AsNoTracking().SingleAsync(e => e.IdempotencyKey == idempotencyKey, cancellationToken);
            return TypedResults.Ok(await ExperimentQueries.DetailAsync(db, winner, cancellationToken));
        }
        // The stored row is the outbox: if queueing its controller fails now, reconciliation runs it shortly.
        TryTriggerController(jobs, experiment.Id, loggers);
        return TypedResults.Created($"/api/experiments/{experiment.Id}", await ExperimentQueries.DetailAsync(db, experiment, cancellationToken));
    }

    /// <summary>Experiments, newest first, with trial counts and best value so far.</summary>
    public static async Task<Results<Ok<PageDto<ExperimentSummaryDto>>, ValidationProblem>> ListExperiments(
        HpSearchDb db, string? status, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var p = page ?? 1;
        var size = pageSize ?? 20;
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !Enum.TryParse<ExperimentStatus>(status, ignoreCase: true, out _))
            errors["status"] = ["must be one of queued, running, completed, failed, cancelled."];
        if (p < 1) errors["page"] = ["must be at least 1."];
        if (size is < 1 or > 200) errors["pageSize"] = ["must be between 1 and 200."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var query = db.Experiments.AsNoTracking();
        if (status is not null) query = query.Where(e => e.Status == status.ToLowerInvariant());
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)
            .Skip((p - 1) * size).Take(size).ToListAsync(cancellationToken);
        return TypedResults.Ok(new PageDto<ExperimentSummaryDto>(await ExperimentQueries.SummariesAsync(db, items, cancellationToken), p, size, total));
    }

    /// <summary>One experiment: spec, status, stages, best trial, counts.</summary>
    public static async Task<Results<Ok<ExperimentSummaryDto>, ProblemHttpResult>> GetExperiment(
        Guid id, HpSearchDb db, CancellationToken cancellationToken)
    {
        var e = await db.Experiments.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, cancellationToken);
        return e is null
            ? TypedResults.Problem(Problems.NotFound($"experiment {id} does not exist."))
            : TypedResults.Ok(await ExperimentQueries.DetailAsync(db, e, cancellationToken));
    }

    /// <summary>Trials of an experiment, paged, by number or by objective value.</summary>
    public static async Task<Results<Ok<PageDto<TrialSummaryDto>>, ProblemHttpResult, ValidationProblem>> ListTrials(
        Guid id, HpSearchDb db, string? status, int? page, int? pageSize, string? sort, CancellationToken cancellationToken)
    {
        var p = page ?? 1;
        var size = pageSize ?? 100;
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !Enum.TryParse<TrialStatus>(status, ignoreCase: true, out _))
            errors["status"] = ["must be one of queued, running, completed, pruned, diverged, failed, cancelled."];
        if (p < 1) errors["page"] = ["must be at least 1."];
        if (size is < 1 or > 5000) errors["pageSize"] = ["must be between 1 and 5000."];
        if (sort is not (null or "number" or "value")) errors["sort"] = ["must be 'number' or 'value'."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var experiment = await db.Experiments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (experiment is null) return TypedResults.Problem(Problems.NotFound($"experiment {id} does not exist."));
        var query = db.Trials.AsNoTracking().Where(t => t.ExperimentId == id);
        if (status is not null) query = query.Where(t => t.Status == status.ToLowerInvariant());
        var total = await query.CountAsync(cancellationToken);
        var ordered = sort == "value"
            ? (experiment.Maximize
                ? query.OrderBy(t => t.BestValue == null).ThenByDescending(t => t.BestValue).ThenBy(t => t.Number)
                : query.OrderBy(t => t.BestValue == null).ThenBy(t => t.BestValue).ThenBy(t => t.Number))
            : query.OrderBy(t => t.Number);
        var trials = await ordered.Skip((p - 1) * size).Take(size).ToListAsync(cancellationToken);
        return TypedResults.Ok(new PageDto<TrialSummaryDto>(await TrialQueries.SummariesAsync(db, trials, cancellationToken), p, size, total));
    }

    /// <summary>Every trial's learning curves in one response.</summary>
    public static async Task<Results<Ok<CurvesDto>, ProblemHttpResult>> GetCurves(Guid id, HpSearchDb db, CancellationToken cancellationToken)
    {
        if (!await db.Experiments.AnyAsync(e => e.Id == id, cancellationToken))
            return TypedResults.Problem(Problems.NotFound($"experiment {id} does not exist."));
        var trials = await db.Trials.AsNoTracking().Where(t => t.ExperimentId == id).OrderBy(t => t.Number)
            .Select(t => new { t.Id, t.Number, t.Status }).ToListAsync(cancellationToken);
        var epochs = await (
            from e in db.TrialEpochs.AsNoTracking()
            join t in db.Trials on e.TrialId equals t.Id
            where t.ExperimentId == id
            orderby e.Epoch
            select new { e.TrialId, e.Epoch, e.TrainLoss, e.ValLoss, e.ValAccuracy }).ToListAsync(cancellationToken);
        var byTrial = epochs.ToLookup(e => e.TrialId);
        var curves = trials.Select(t =>
        {
            var rows = byTrial[t.Id].ToList();
            return new TrialCurveDto(t.Id, t.Number, t.Status, rows.Select(r => r.Epoch).ToList(),
                rows.Select(r => r.TrainLoss).ToList(), rows.Select(r => r.ValLoss).ToList(), rows.Select(r => r.ValAccuracy).ToList());
        }).ToList();
        return TypedResults.Ok(new CurvesDto(["trainLoss", "valLoss", "valAccuracy"], curves));
    }

    /// <summary>Which searched parameters matter: variance of the objective explained per parameter, computed in Domain.</summary>
    public static async Task<Results<Ok<ImportanceDto>, ProblemHttpResult>> GetImportance(
        Guid id, HpSearchDb db, ISpecCatalog catalog, CancellationToken cancellationToken)
    {
        var experiment = await db.Experiments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (experiment is null) return TypedResults.Problem(Problems.NotFound($"experiment {id} does not exist."));
        using var doc = JsonDocument.Parse(experiment.SpecJson);
        // Parsed without catalog checks: the stored spec was valid when it was submitted.
        var spec = ExperimentSpec.TryParse(doc.RootElement, new PermissiveCatalog(experiment.Trainer, experiment.Dataset), new SpecErrors());
        var trials = await Workers.Experiments.ExperimentStore.LoadTrialRecordsAsync(db, id, cancellationToken);
        if (spec is null) return TypedResults.Ok(new ImportanceDto("unavailable: the stored spec cannot be read", 0, []));
        var report = Domain.Importance.ParameterImportance.Compute(trials, spec.SearchSpace, spec.Objective);
        return TypedResults.Ok(new ImportanceDto(report.Method, report.Trials,
            report.Parameters.Select(p => new ParameterImportanceDto(p.Name, p.Importance)).ToList()));
    }

    private sealed class PermissiveCatalog(string trainer, string dataset) : ISpecCatalog
    {
        public IReadOnlyCollection<string> Trainers => [trainer];
        public IReadOnlyCollection<string> Datasets => [dataset];
        public IReadOnlySet<string>? ParametersOf(string name) => null;
    }

    /// <summary>Cancels a queued or running experiment; running trials stop at their next epoch.</summary>
    public static async Task<Results<Accepted<ExperimentSummaryDto>, ProblemHttpResult>> CancelExperiment(
        Guid id, HpSearchDb db, JobQueue jobs, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var e = await db.Experiments.SingleOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (e is null) return TypedResults.Problem(Problems.NotFound($"experiment {id} does not exist."));
        if (Lifecycle.ParseExperimentStatus(e.Status).IsFinished())
            return TypedResults.Problem(Problems.Conflict($"experiment {id} already finished ({e.Status}); there is nothing to cancel."));
        // Only this flag is written here, so a concurrent controller run cannot lose it.
        await db.Experiments.Where(x => x.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.CancelRequested, true)
            .SetProperty(x => x.UpdatedAt, DateTimeOffset.UtcNow), cancellationToken);
        TryTriggerController(jobs, id, loggers);
        await db.Entry(e).ReloadAsync(cancellationToken);
        return TypedResults.Accepted($"/api/experiments/{id}", await ExperimentQueries.DetailAsync(db, e, cancellationToken));
    }

    /// <summary>All trials as CSV or JSON (one row per trial, one column per parameter).</summary>
    public static async Task<IResult> ExportExperiment(Guid id, HpSearchDb db, string? format, CancellationToken cancellationToken)
    {
        format ??= "csv";
        if (format is not ("csv" or "json"))
            return TypedResults.ValidationProblem(Errors("format", "must be 'csv' or 'json'."));
        var experiment = await db.Experiments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (experiment is null) return TypedResults.Problem(Problems.NotFound($"experiment {id} does not exist."));
        var trials = await db.Trials.AsNoTracking().Where(t => t.ExperimentId == id).OrderBy(t => t.Number).ToListAsync(cancellationToken);
        var summaries = await TrialQueries.SummariesAsync(db, trials, cancellationToken);
        var fileName = $"experiment-{id}.{format}";
        if (format == "json")
            return TypedResults.File(JsonSerializer.SerializeToUtf8Bytes(summaries, JsonOptions), "application/json", fileName);
        return TypedResults.File(Encoding.UTF8.GetBytes(Csv.Trials(summaries, experiment.ObjectiveMetric)), "text/csv", fileName);
    }

    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static Dictionary<string, string[]> Errors(string field, string message) => new() { [field] = [message] };

    /// <summary>Reads the body as JSON with a size cap; returns an error sentence instead of throwing.</summary>
    private static async Task<(JsonDocument? Json, string? Error)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes) return (null, $"the body is larger than {MaxBodyBytes / 1024} KiB.");
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes) return (null, $"the body is larger than {MaxBodyBytes / 1024} KiB.");
        }
        if (buffer.Length == 0) return (null, "the body is empty; send an experiment spec as JSON.");
        try
        {
            return (JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 32 }), null);
        }
        catch (JsonException e)
        {
            return (null, $"the body is not valid JSON: {e.Message}");
        }
    }

    private static void TryTriggerController(JobQueue jobs, Guid experimentId, ILoggerFactory loggers)
    {
        try
        {
            jobs.TriggerController(experimentId);
        }
        catch (Exception e) when (StoreFaults.IsStoreFault(e) || e is Hangfire.BackgroundJobClientException)
        {
            LogTriggerDeferred(loggers.CreateLogger(typeof(ExperimentsApi)), e, experimentId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId} stored; its controller could not be queued now, reconciliation will run it")]
    private static partial void LogTriggerDeferred(ILogger logger, Exception exception, Guid experimentId);
}
