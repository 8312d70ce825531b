using System.Text;
using System.Text.Json;
using HpSearch.Api.Auth;
using HpSearch.Api.Trials;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Validation;
using HpSearch.Persistence;
using HpSearch.Persistence.Model;
using HpSearch.Persistence.Experiments;
using HpSearch.Workers.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace HpSearch.Api.Experiments;

public static partial class ExperimentsApi
{
    public static IEndpointRouteBuilder MapExperimentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/experiments").WithTags("Experiments");
        group.MapPost("/", CreateExperiment).WithName("CreateExperiment").RequireApiKey()
            .WithSummary("Submit an experiment")
            .Accepts<ExperimentSpecBody>("application/json")
            .Produces<ExperimentSummaryDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/", ListExperiments).WithName("ListExperiments").WithSummary("List, search and sort experiments (newest first by default)")
            .ProducesValidationProblem();
        group.MapGet("/{id:guid}", GetExperiment).WithName("GetExperiment").WithSummary("Get an experiment with its spec, stages and best trial")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/trials", ListTrials).WithName("ListTrials").WithSummary("List an experiment's trials")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/trials/columns", GetTrialColumns).WithName("GetTrialColumns")
            .WithSummary("Get every trial as columns: what the dashboard's charts draw, in number order, in chunks")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesValidationProblem();
        group.MapGet("/{id:guid}/curves", GetCurves).WithName("GetCurves").WithSummary("Get the trials' learning curves")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/importance", GetImportance).WithName("GetImportance").WithSummary("Get the searched parameters' importance")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/cancel", CancelExperiment).WithName("CancelExperiment").RequireApiKey()
            .WithSummary("Cancel a queued or running experiment")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id:guid}/export", ExportExperiment).WithName("ExportExperiment").WithSummary("Export every trial as CSV or JSON")
            .Produces<List<TrialSummaryDto>>(StatusCodes.Status200OK, "application/json") // and text/csv: OpenApiDocs adds it
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapExperimentKeepingApi();
        group.MapGet("/{id:guid}/events", ExperimentEvents.StreamAsync).WithName("ExperimentEvents").RequireRateLimiting(RateLimits.Streams)
            .WithSummary("Stream live updates (server-sent events)")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    /// <summary>Validates and stores a sweep, then schedules its controller. A repeated <c>Idempotency-Key</c> answers the
    /// experiment it created (200), or 422 when the body differs; client keys live apart from schedule firings' keys.</summary>
    public static async Task<Results<Created<ExperimentSummaryDto>, Ok<ExperimentSummaryDto>, ValidationProblem, ProblemHttpResult>> CreateExperiment(
        HttpRequest request, HpSearchDb db, ISpecCatalog catalog, JobQueue jobs, TimeProvider clock, ILoggerFactory loggers,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (idempotencyKey is { Length: 0 or > 200 } || (idempotencyKey is not null && JsonText.Problem(idempotencyKey) is not null))
            return TypedResults.ValidationProblem(Errors("Idempotency-Key", "must be 1 to 200 printable characters."));
        // Namespaced: a client's key can never equal the key of a schedule's firing ("schedule:…").
        var storedKey = idempotencyKey is null ? null : ClientKeyPrefix + idempotencyKey;

        var (json, bodyErrors) = await JsonBody.ReadAsync(request, cancellationToken);
        if (json is null) return TypedResults.ValidationProblem(bodyErrors.ToDictionary());
        using var doc = json;

        if (storedKey is not null)
        {
            var existing = await db.Experiments.AsNoTracking().SingleOrDefaultAsync(e => e.IdempotencyKey == storedKey, cancellationToken);
            if (existing is not null) return await ReplayAsync(db, existing, doc.RootElement, cancellationToken);
        }

        var errors = new SpecErrors();
        var spec = ExperimentSpec.TryParse(doc.RootElement, catalog, errors);
        if (spec is null || !errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());

        var experiment = ExperimentFactory.Create(spec, doc.RootElement.GetRawText(), clock.GetUtcNow(), storedKey);
        db.Experiments.Add(experiment);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (storedKey is not null)
        {
            // A concurrent request with the same key won the race: answer with its experiment.
            db.ChangeTracker.Clear();
            var winner = await db.Experiments.AsNoTracking().SingleAsync(e => e.IdempotencyKey == storedKey, cancellationToken);
            return await ReplayAsync(db, winner, doc.RootElement, cancellationToken);
        }
        // The stored row is the outbox: if queueing its controller fails now, reconciliation runs it shortly.
        TryTriggerController(jobs, experiment.Id, loggers);
        return TypedResults.Created($"/api/experiments/{experiment.Id}", await ExperimentQueries.DetailAsync(db, experiment, cancellationToken));
    }

    /// <summary>Stored idempotency keys of API requests start with this; schedule firings use "schedule:".</summary>
    public const string ClientKeyPrefix = "api:";

    private static async Task<Results<Created<ExperimentSummaryDto>, Ok<ExperimentSummaryDto>, ValidationProblem, ProblemHttpResult>> ReplayAsync(
        HpSearchDb db, Experiment existing, JsonElement body, CancellationToken cancellationToken)
    {
        using var stored = JsonDocument.Parse(existing.SpecJson);
        if (!JsonElement.DeepEquals(stored.RootElement, body))
            return TypedResults.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "Idempotency key reused",
                Detail = "this Idempotency-Key was already used with a different body; use a new key for a different experiment.",
                Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21",
            });
        return TypedResults.Ok(await ExperimentQueries.DetailAsync(db, existing, cancellationToken));
    }

    /// <summary>Experiments with trial counts and best value so far, searched and sorted in the database: <c>q</c> (name
    /// contains, any case), <c>tag</c> (each given tag present), <c>status</c>, <c>dataset</c>, <c>trainer</c>; <c>sort</c> one of
    /// <see cref="ExperimentListQuery.SortFields"/> with <c>order</c> asc or desc (newest first by default).</summary>
    public static async Task<Results<Ok<PageDto<ExperimentSummaryDto>>, ValidationProblem>> ListExperiments(
        HpSearchDb db, string? status, string? page, string? pageSize, string? q, [FromQuery] string[]? tag, string? dataset, string? trainer,
        string? sort, string? order, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var p = Paging.Read(page, "page", 1, errors);
        var size = Paging.Read(pageSize, "pageSize", 20, errors);
        if (p < 1) errors.TryAdd("page", ["must be at least 1."]);
        if (size is < 1 or > 200) errors.TryAdd("pageSize", ["must be between 1 and 200."]);
        else if ((long)(p - 1) * size > MaxOffset) errors.TryAdd("page", [$"is too large: page × pageSize must stay below {MaxOffset}."]);
        var filter = ExperimentListQuery.Read(status, q, tag, dataset, trainer, sort, order, errors);
        if (errors.Count > 0 || filter is null) return TypedResults.ValidationProblem(errors);

        var query = filter.Apply(db.Experiments.AsNoTracking());
        var total = await query.CountAsync(cancellationToken);
        var items = await filter.Order(query).Skip((p - 1) * size).Take(size).ToListAsync(cancellationToken);
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

    /// <summary>Cancels a queued or running experiment; running trials stop at their next epoch.</summary>
    public static async Task<Results<Accepted<ExperimentSummaryDto>, ProblemHttpResult>> CancelExperiment(
        Guid id, HpSearchDb db, JobQueue jobs, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var e = await db.Experiments.SingleOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (e is null) return TypedResults.Problem(Problems.NotFound($"experiment {id} does not exist."));
        if (e.Status.IsFinished())
            return TypedResults.Problem(Problems.Conflict($"experiment {id} already finished ({e.Status.ToWire()}); there is nothing to cancel."));
        // Only this flag is written here, so a concurrent controller run cannot lose it.
        await db.Experiments.Where(x => x.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.CancelRequested, true)
            .SetProperty(x => x.UpdatedAt, DateTimeOffset.UtcNow), cancellationToken);
        TryTriggerController(jobs, id, loggers);
        await db.Entry(e).ReloadAsync(cancellationToken);
        return TypedResults.Accepted($"/api/experiments/{id}", await ExperimentQueries.DetailAsync(db, e, cancellationToken));
    }

    /// <summary>All trials as CSV or JSON (one row per trial, one column per parameter), streamed: trials are read and
    /// written <see cref="ExportPageSize"/> at a time in trial-number order, so an export's memory does not grow with the
    /// experiment and its first bytes leave before its last trial is read.</summary>
    public static async Task<IResult> ExportExperiment(Guid id, HpSearchDb db, string? format, CancellationToken cancellationToken)
    {
        format ??= "csv";
        if (format is not ("csv" or "json"))
            return TypedResults.ValidationProblem(Errors("format", "must be 'csv' or 'json'."));
        var experiment = await db.Experiments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (experiment is null) return TypedResults.Problem(Problems.NotFound($"experiment {id} does not exist."));
        var fileName = $"experiment-{id}.{format}";
        var objectives = ObjectiveValues.For(experiment);
        if (format == "json")
            return new ExportStream("application/json", fileName, async (body, ct) =>
            {
                // One writer for the whole array (it keeps the separators), emptied into the body after each page.
                var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 * 1024);
                await using var writer = new Utf8JsonWriter(buffer);
                writer.WriteStartArray();
                await foreach (var page in ExportPagesAsync(db, id, ct))
                {
                    var values = objectives is null ? null : await objectives.OfAsync(db, page.Select(t => t.Id).ToList(), ct);
                    foreach (var t in page)
                    {
                        if (objectives is null)
                        {
                            JsonSerializer.Serialize(writer, t, JsonOptions);
                            continue;
                        }
                        // Several objectives: each trial also says whether it is on the front, and its objectives' values.
                        var node = JsonSerializer.SerializeToNode(t, JsonOptions)!.AsObject();
                        node["onFront"] = objectives.OnFront(t.Number);
                        node["objectiveValues"] = values!.TryGetValue(t.Id, out var v)
                            ? new System.Text.Json.Nodes.JsonArray(v.Select(x => (System.Text.Json.Nodes.JsonNode?)x).ToArray())
                            : null;
                        node.WriteTo(writer);
                    }
                    writer.Flush();
                    await body.WriteAsync(buffer.WrittenMemory, ct);
                    buffer.ResetWrittenCount();
                }
                writer.WriteEndArray();
                writer.Flush();
                await body.WriteAsync(buffer.WrittenMemory, ct);
            });
        // The CSV header needs every parameter name before the first row: one query over the stored parameters' keys.
        var paramNames = await db.Database
            .SqlQuery<string>($"SELECT DISTINCT jsonb_object_keys(params_json) AS \"Value\" FROM trials WHERE experiment_id = {id}")
            .ToListAsync(cancellationToken);
        paramNames.Sort(StringComparer.Ordinal);
        return new ExportStream("text/csv", fileName, async (body, ct) =>
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(false), bufferSize: 64 * 1024) { NewLine = "\n" };
            await writer.WriteLineAsync(Csv.Header(paramNames, experiment.ObjectiveMetric, objectives?.Metrics));
            await foreach (var page in ExportPagesAsync(db, id, ct))
            {
                var values = objectives is null ? null : await objectives.OfAsync(db, page.Select(t => t.Id).ToList(), ct);
                foreach (var t in page)
                    await writer.WriteLineAsync(Csv.Row(t, paramNames,
                        objectives is null ? null : (objectives.OnFront(t.Number), values!.GetValueOrDefault(t.Id), objectives.Metrics.Count)));
                await writer.FlushAsync(ct);
            }
        });
    }

    /// <summary>Trials read per query by an export.</summary>
    public const int ExportPageSize = 500;

    private static async IAsyncEnumerable<List<TrialSummaryDto>> ExportPagesAsync(
        HpSearchDb db, Guid id, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = int.MinValue;
        while (true)
        {
            var trials = await db.Trials.AsNoTracking().Where(t => t.ExperimentId == id && t.Number > after)
                .OrderBy(t => t.Number).Take(ExportPageSize).ToListAsync(cancellationToken);
            if (trials.Count == 0) yield break;
            yield return await TrialQueries.SummariesAsync(db, trials, cancellationToken);
            if (trials.Count < ExportPageSize) yield break;
            after = trials[^1].Number;
        }
    }

    /// <summary>A download written straight to the response body as it is produced.</summary>
    private sealed class ExportStream(string contentType, string fileName, Func<Stream, CancellationToken, Task> write) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = contentType;
            httpContext.Response.Headers.ContentDisposition =
                new System.Net.Mime.ContentDisposition { FileName = fileName }.ToString();
            await write(httpContext.Response.Body, httpContext.RequestAborted);
        }
    }

    /// <summary>Largest row offset a page may start at.</summary>
    public const int MaxOffset = 10_000_000;

    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static Dictionary<string, string[]> Errors(string field, string message) => new() { [field] = [message] };

    internal static void TryTriggerController(JobQueue jobs, Guid experimentId, ILoggerFactory loggers)
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
