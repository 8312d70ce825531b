using System.Text.Json;
using HpSearch.Api.Auth;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Validation;
using HpSearch.Persistence;
using HpSearch.Persistence.Experiments;
using HpSearch.Workers.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Api.Experiments;

/// <summary>Experiments as things people keep: tags and a note edited after submit, and an ended experiment continued —
/// resumed, its failed trials retried, or its trial budget extended (docs/decisions/0021-experiments-people-keep.md).</summary>
public static class ExperimentKeepingApi
{
    public static RouteGroupBuilder MapExperimentKeepingApi(this RouteGroupBuilder group)
    {
        group.MapPatch("/{id:guid}", EditExperiment).WithName("EditExperiment").RequireApiKey()
            .WithSummary("Edit an experiment's tags and note")
            .Accepts<ExperimentLabelsRequest>("application/json")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/resume", ResumeExperiment).WithName("ResumeExperiment").RequireApiKey()
            .WithSummary("Resume a cancelled or failed experiment: its cancelled trials and the rest of its budget run")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/retry", RetryFailedTrials).WithName("RetryFailedTrials").RequireApiKey()
            .WithSummary("Run an experiment's failed trials again (same parameters and seed, a new attempt)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/extend", ExtendExperiment).WithName("ExtendExperiment").RequireApiKey()
            .WithSummary("Raise a finished random or TPE experiment's maxTrials; the sampler continues its seeded sequence")
            .Accepts<ExtendRequest>("application/json")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    /// <summary>Sets the tags, the note, or both; the stored spec keeps what was submitted.</summary>
    public static async Task<Results<Ok<ExperimentSummaryDto>, ValidationProblem, ProblemHttpResult>> EditExperiment(
        Guid id, HttpRequest request, HpSearchDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (json, bodyErrors) = await JsonBody.ReadAsync(request, cancellationToken);
        if (json is null) return TypedResults.ValidationProblem(bodyErrors.ToDictionary());
        using var doc = json;
        var body = doc.RootElement;
        var errors = new SpecErrors();
        if (body.ValueKind != JsonValueKind.Object)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["$"] = ["the body must be a JSON object with tags, note or both."] });
        JsonRead.RejectUnknown(body, "", errors, "tags", "note");
        var hasTags = body.TryGetProperty("tags", out var tagsJson);
        var hasNote = body.TryGetProperty("note", out var noteJson);
        if (!hasTags && !hasNote && errors.IsEmpty) errors.Add("$", "name tags, note or both.");
        IReadOnlyList<string>? tags = null;
        if (hasTags)
        {
            if (tagsJson.ValueKind == JsonValueKind.Null) errors.Add("tags", "must be an array of strings ([] removes every tag).");
            else tags = ExperimentLabels.ReadTags(tagsJson, "tags", errors);
        }
        string? note = null;
        if (hasNote && noteJson.ValueKind != JsonValueKind.Null) note = ExperimentLabels.ReadNote(noteJson, "note", errors, out _);
        if (!errors.IsEmpty) return TypedResults.ValidationProblem(errors.ToDictionary());

        var e = await db.Experiments.SingleOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (e is null) return TypedResults.Problem(Problems.NotFound($"experiment {id} does not exist."));
        // Only these columns are written, so a controller run at the same time loses nothing of it, nor this of its.
        var now = clock.GetUtcNow();
        var newTags = tags is null ? e.Tags : [.. tags];
        var newNote = hasNote ? note : e.Note;
        await db.Experiments.Where(x => x.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Tags, newTags)
            .SetProperty(x => x.Note, newNote)
            .SetProperty(x => x.UpdatedAt, now), cancellationToken);
        await db.Entry(e).ReloadAsync(cancellationToken);
        return TypedResults.Ok(await ExperimentQueries.DetailAsync(db, e, cancellationToken));
    }

    /// <summary>A cancelled or failed experiment runs on: its cancelled trials are queued again (from their first epoch, same
    /// seed) and the strategy is asked for the rest of the budget; finished trials are kept, failed ones stay failed.</summary>
    public static Task<Results<Accepted<ExperimentSummaryDto>, ValidationProblem, ProblemHttpResult>> ResumeExperiment(
        Guid id, HpSearchDb db, JobQueue jobs, TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        ReopenAsync(id, db, jobs, clock, loggers, new Reopening(RetryFailed: false), (e, _) => Task.FromResult(
            e.Status is ExperimentStatus.Cancelled or ExperimentStatus.Failed
                ? null
                : $"experiment {id} is {e.Status.ToWire()}; only a cancelled or failed experiment can be resumed."), cancellationToken);

    /// <summary>The failed trials run again as new attempts; a finished experiment is reopened for them (and, if it was
    /// cancelled or failed, resumed as well).</summary>
    public static Task<Results<Accepted<ExperimentSummaryDto>, ValidationProblem, ProblemHttpResult>> RetryFailedTrials(
        Guid id, HpSearchDb db, JobQueue jobs, TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        ReopenAsync(id, db, jobs, clock, loggers, new Reopening(RetryFailed: true), async (e, ct) =>
            e.Status == ExperimentStatus.Queued || (e.CancelRequested && !e.Status.IsFinished())
                ? $"experiment {id} is {(e.CancelRequested ? "being cancelled" : e.Status.ToWire())}; its failed trials can be retried once it runs or has finished."
                : !await db.Trials.AnyAsync(t => t.ExperimentId == id && t.Status == TrialStatus.Failed, ct)
                    ? $"experiment {id} has no failed trials to retry."
                    : null, cancellationToken);

    /// <summary>A finished <c>random</c> or <c>tpe</c> experiment gets more trials: <c>maxTrials</c> is raised and the sampler
    /// continues from the next trial number, so the new points are the ones a larger budget would have drawn.</summary>
    public static async Task<Results<Accepted<ExperimentSummaryDto>, ValidationProblem, ProblemHttpResult>> ExtendExperiment(
        Guid id, HttpRequest request, HpSearchDb db, JobQueue jobs, TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var (json, bodyErrors) = await JsonBody.ReadAsync(request, cancellationToken);
        if (json is null) return TypedResults.ValidationProblem(bodyErrors.ToDictionary());
        using var doc = json;
        var errors = new SpecErrors();
        if (doc.RootElement.ValueKind != JsonValueKind.Object) errors.Add("$", "the body must be a JSON object with maxTrials.");
        else JsonRead.RejectUnknown(doc.RootElement, "", errors, "maxTrials");
        var maxTrials = JsonRead.Int(doc.RootElement, "maxTrials", "maxTrials", errors, required: doc.RootElement.ValueKind == JsonValueKind.Object);
        if (maxTrials is > ExperimentSpec.MaxTrialsLimit) errors.Add("maxTrials", $"must be at most {ExperimentSpec.MaxTrialsLimit}.");
        if (!errors.IsEmpty || maxTrials is null) return TypedResults.ValidationProblem(errors.ToDictionary());

        var current = await db.Experiments.AsNoTracking().Where(x => x.Id == id).Select(x => new { x.MaxTrials }).SingleOrDefaultAsync(cancellationToken);
        if (current is not null && maxTrials <= current.MaxTrials)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["maxTrials"] = [$"must be above the current budget ({current.MaxTrials})."] });
        return await ReopenAsync(id, db, jobs, clock, loggers, new Reopening(RetryFailed: false, maxTrials), (e, _) => Task.FromResult(
            e.Strategy is not ("random" or "tpe")
                ? $"experiment {id} uses strategy '{e.Strategy}'; only random and tpe experiments can be extended."
                : !e.Status.IsFinished()
                    ? $"experiment {id} is {e.Status.ToWire()}; extend it once it has finished."
                    : null), cancellationToken);
    }

    private static async Task<Results<Accepted<ExperimentSummaryDto>, ValidationProblem, ProblemHttpResult>> ReopenAsync(
        Guid id, HpSearchDb db, JobQueue jobs, TimeProvider clock, ILoggerFactory loggers, Reopening reopening,
        Func<Persistence.Model.Experiment, CancellationToken, Task<string?>> conflict, CancellationToken cancellationToken)
    {
        var e = await db.Experiments.SingleOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (e is null) return TypedResults.Problem(Problems.NotFound($"experiment {id} does not exist."));
        if (await conflict(e, cancellationToken) is { } why) return TypedResults.Problem(Problems.Conflict(why));
        var requeued = await ExperimentReopening.ApplyAsync(db, id, e.Status, reopening, clock.GetUtcNow(), cancellationToken);
        if (requeued is null)
            return TypedResults.Problem(Problems.Conflict($"experiment {id} changed while this request ran; read it again and retry."));
        // The reopened row is the outbox: if queueing the controller fails now, reconciliation runs it shortly.
        ExperimentsApi.TryTriggerController(jobs, id, loggers);
        await db.Entry(e).ReloadAsync(cancellationToken);
        return TypedResults.Accepted($"/api/experiments/{id}", await ExperimentQueries.DetailAsync(db, e, cancellationToken));
    }
}
