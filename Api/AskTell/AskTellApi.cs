using System.Text.Json;
using HpSearch.Api.Auth;
using HpSearch.Api.Experiments;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Strategies;
using HpSearch.Domain.Validation;
using HpSearch.Persistence;
using HpSearch.Persistence.Experiments;
using HpSearch.Persistence.Model;
using HpSearch.Persistence.Trials;
using HpSearch.Workers.AskTell;
using HpSearch.Workers.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Api.AskTell;

/// <summary>
/// Ask/tell for experiments whose trainer is <c>external</c>: a client asks for a trial (a lease on one attempt), reports
/// each epoch and tells the outcome. Every write goes through the same fenced writes and the same epoch step as a worker's
/// trial job (<see cref="TrialWrites"/>, <see cref="TrialEpochs"/>), so pruning, stop reasons and attempt fencing are the
/// service's own (docs/decisions/0015-ask-tell-leases.md).
/// </summary>
public static class AskTellApi
{
    /// <summary>Claims tried per ask before answering "none now" (each one failed a trial whose clients kept dying).</summary>
    private const int MaxClaimsPerAsk = 10;

    public static IEndpointRouteBuilder MapAskTellApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/experiments/{id:guid}/ask", AskTrial).WithName("AskTrial").WithTags("Ask/tell").WithSummary("Lease the experiment's next trial to this client (external trainer)").RequireApiKey()
            .Accepts<AskRequest>("application/json").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        var trials = app.MapGroup("/api/trials/{id:guid}").WithTags("Ask/tell");
        trials.MapPost("/report", ReportEpoch).WithName("ReportEpoch").WithSummary("Report one epoch of a leased trial; the answer says continue, prune or cancelled").RequireApiKey()
            .Accepts<ReportRequest>("application/json").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        trials.MapPost("/tell", TellOutcome).WithName("TellOutcome").WithSummary("Tell how a leased trial ended: completed, failed or diverged").RequireApiKey()
            .Accepts<TellRequest>("application/json").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        trials.MapPost("/heartbeat", Heartbeat).WithName("Heartbeat").WithSummary("Renew the lease of a trial whose epoch outlasts it").RequireApiKey()
            .Accepts<HeartbeatRequest>("application/json").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>Leases the next trial of the experiment to the client: a queued one (a lease that ran out is queued again,
    /// checked here too, so a re-offer does not wait for the reconciliation job). Not idempotent: a retried ask whose answer
    /// was lost leaves a lease that runs out and is offered again.</summary>
    public static async Task<Results<Ok<AskResponse>, ValidationProblem, ProblemHttpResult>> AskTrial(
        Guid id, HttpRequest http, HpSearchDb db, JobQueue jobs, JobOptions jobOptions, AskTellOptions options, CancellationToken cancellationToken)
    {
        var (body, errors) = await ReadAsync(http, AskRequest.TryParse, cancellationToken);
        if (body is null) return TypedResults.ValidationProblem(errors.ToDictionary());

        var experiment = await db.Experiments.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (experiment is null) return TypedResults.Problem(Problems.NotFound($"experiment {id} does not exist."));
        if (experiment.Trainer != ExperimentSpec.ExternalTrainer) return NotExternal(experiment);
        if (experiment.CancelRequested || experiment.Status.IsFinished())
            return TypedResults.Ok(new AskResponse(null, experiment.Status.ToWire(), true, null));

        await TrialLeases.ExpireAsync(db, id, options.Lease, cancellationToken);
        var holder = Holder(body.ClientHost);
        for (var i = 0; i < MaxClaimsPerAsk; i++)
        {
            var claim = await TrialLeases.ClaimAsync(db, id, holder, cancellationToken);
            if (claim is null) break;
            if (claim.Start.WorkerDeaths >= jobOptions.MaxWorkerDeaths)
            {
                // The same limit as a trial whose workers kept dying: its clients went silent that many times.
                await TrialWrites.FailAsync(db, claim.TrialId, claim.Start.Attempt,
                    $"its clients went silent (lease ran out) {claim.Start.WorkerDeaths} times.", CancellationToken.None);
                jobs.TriggerController(id);
                continue;
            }
            var trial = await db.Trials.AsNoTracking().SingleAsync(t => t.Id == claim.TrialId, cancellationToken);
            return TypedResults.Ok(new AskResponse(ToLease(trial, experiment, options, body.ClientHost), ExperimentStatus.Running.ToWire(), false, null));
        }
        return TypedResults.Ok(new AskResponse(null, experiment.Status.ToWire(), false, 1.0));
    }

    /// <summary>Stores one epoch and answers whether the trial goes on, through the epoch step a worker's trial takes. A
    /// report for an epoch already stored changes nothing and gets the answer the trial's state gives.</summary>
    public static async Task<Results<Ok<ReportResponse>, ValidationProblem, ProblemHttpResult>> ReportEpoch(
        Guid id, HttpRequest http, HpSearchDb db, ISpecCatalog catalog, JobQueue jobs, AskTellOptions options, CancellationToken cancellationToken)
    {
        var (body, errors) = await ReadAsync(http, ReportRequest.TryParse, cancellationToken);
        if (body is null) return TypedResults.ValidationProblem(errors.ToDictionary());
        var (trial, refused) = await LoadAsync(db, id, body.Attempt, cancellationToken);
        if (trial is null) return refused!;
        var experiment = trial.Experiment!;
        var spec = ExperimentStore.ParseSpec(experiment, catalog);

        var missing = spec.Objectives.Where(o => !body.Metrics.ContainsKey(o.Metric)).ToList();
        if (missing.Count > 0)
            return TypedResults.ValidationProblem(missing.ToDictionary(o => $"metrics.{o.Metric}",
                _ => new[] { "is required: every objective of the experiment must be in every report (null if it was NaN or infinite)." }));
        if (body.Epoch > trial.MaxEpochs)
            return TypedResults.ValidationProblem(Problems.Validation("epoch", $"must be at most {trial.MaxEpochs}, the epochs this trial may run.").Errors);

        var status = trial.Status;
        if (status != TrialStatus.Running)
        {
            // A finished trial: replay what ended it (a retried report of the pruning epoch, or a client that went on).
            if (Replay(trial) is { } replay && (body.Epoch <= trial.EpochCount || replay.Decision != ReportResponse.Continue))
                return TypedResults.Ok(replay);
            return Conflict("epoch", $"trial {trial.Number} already ended ({trial.Status.ToWire()}); it takes no more epochs.");
        }
        if (body.Epoch <= trial.EpochCount)
        {
            // At-least-once from the client: the epoch is stored; renew the lease and answer as before (it went on).
            var renewed = await TrialLeases.RenewAsync(db, trial.Id, body.Attempt, cancellationToken);
            return renewed ? TypedResults.Ok(new ReportResponse(ReportResponse.Continue, trial.Status.ToWire(), null, LeaseEnd(options)))
                : Stale(trial, body.Attempt);
        }
        if (body.Epoch != trial.EpochCount + 1)
            return Conflict("epoch", $"epochs come in order: the next one of this trial is {trial.EpochCount + 1}.");

        var metrics = body.FiniteMetrics();
        var value = metrics.TryGetValue(spec.Objective.Metric, out var v) ? v : double.NaN;
        var (best, bestEpoch) = TrialEpochs.WithEpoch(spec.Objective, trial.BestValue, trial.BestEpoch, body.Epoch, value);
        var trialOptions = WireJson.Deserialize<TrialOptions>(trial.OptionsJson);
        var verdict = await TrialEpochs.RecordAsync(db, spec, experiment.Id, trial.Id, trial.Number, body.Attempt,
            TrialEpochs.Stops(spec, trialOptions, trial.MaxEpochs), body.Epoch, metrics, null, best, bestEpoch, cancellationToken);
        if (verdict.Superseded) return Stale(trial, body.Attempt);
        if (verdict.GoesOn) return TypedResults.Ok(new ReportResponse(ReportResponse.Continue, trial.Status.ToWire(), null, LeaseEnd(options)));

        // The outcome a worker's trial job records for the same verdict: cancelled, pruned, or completed (patience).
        var ended = verdict.Cancelled ? TrialStatus.Cancelled : verdict.Decision!.Pruned ? TrialStatus.Pruned : TrialStatus.Completed;
        var reason = StopReasons.ToJson(verdict.Decision);
        if (!await TrialWrites.FinishAsync(db, trial.Id, body.Attempt, ended, null, reason, null, 0, CancellationToken.None))
            return Stale(trial, body.Attempt);
        jobs.TriggerController(experiment.Id);
        return TypedResults.Ok(new ReportResponse(verdict.Cancelled ? ReportResponse.Cancelled : ReportResponse.Prune,
            ended.ToWire(), StopReasonDto.FromStored(reason), null));
    }

    /// <summary>Records the client's outcome of its attempt. A repeated tell, or a tell after the service pruned the trial,
    /// changes nothing and answers how the trial ended.</summary>
    public static async Task<Results<Ok<TellResponse>, ValidationProblem, ProblemHttpResult>> TellOutcome(
        Guid id, HttpRequest http, HpSearchDb db, JobQueue jobs, CancellationToken cancellationToken)
    {
        var (body, errors) = await ReadAsync(http, TellRequest.TryParse, cancellationToken);
        if (body is null) return TypedResults.ValidationProblem(errors.ToDictionary());
        var (trial, refused) = await LoadAsync(db, id, body.Attempt, cancellationToken);
        if (trial is null) return refused!;
        if (trial.Status.IsFinished()) return TypedResults.Ok(new TellResponse(trial.Id, trial.Status.ToWire(), false));

        var error = body.Status == "failed" ? body.Error ?? "the client reported a failure." : body.Error;
        if (body.Status == "diverged" && error is null) error = $"the client reported a NaN or infinite loss after epoch {trial.EpochCount}.";
        if (!await TrialWrites.FinishAsync(db, trial.Id, body.Attempt, Lifecycle.ParseTrialStatus(body.Status), error, null, null, 0, CancellationToken.None))
        {
            // Lost a race: another tell (then this one is a repeat), a prune, or the lease ran out meanwhile.
            var now = await db.Trials.AsNoTracking().SingleAsync(t => t.Id == id, cancellationToken);
            return now.Attempt == body.Attempt && now.Status.IsFinished()
                ? TypedResults.Ok(new TellResponse(now.Id, now.Status.ToWire(), false))
                : Stale(now, body.Attempt);
        }
        jobs.TriggerController(trial.ExperimentId);
        return TypedResults.Ok(new TellResponse(trial.Id, body.Status, true));
    }

    /// <summary>Renews the lease of a client whose epoch lasts longer than the lease.</summary>
    public static async Task<Results<Ok<HeartbeatResponse>, ValidationProblem, ProblemHttpResult>> Heartbeat(
        Guid id, HttpRequest http, HpSearchDb db, AskTellOptions options, CancellationToken cancellationToken)
    {
        var (body, errors) = await ReadAsync(http, HeartbeatRequest.TryParse, cancellationToken);
        if (body is null) return TypedResults.ValidationProblem(errors.ToDictionary());
        var (trial, refused) = await LoadAsync(db, id, body.Attempt, cancellationToken);
        if (trial is null) return refused!;
        if (trial.Status != TrialStatus.Running || !await TrialLeases.RenewAsync(db, trial.Id, body.Attempt, cancellationToken))
            return trial.Status.IsFinished()
                ? Conflict("attempt", $"trial {trial.Number} already ended ({trial.Status.ToWire()}).")
                : Stale(trial, body.Attempt);
        return TypedResults.Ok(new HeartbeatResponse(LeaseEnd(options)));
    }

    /// <summary>The trial (with its experiment) when it is an external one and <paramref name="attempt"/> is its current
    /// attempt; else the 404 or 409 to answer.</summary>
    private static async Task<(Trial? Trial, ProblemHttpResult? Refused)> LoadAsync(HpSearchDb db, Guid id, int attempt, CancellationToken cancellationToken)
    {
        var trial = await db.Trials.AsNoTracking().Include(t => t.Experiment).SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (trial?.Experiment is null) return (null, TypedResults.Problem(Problems.NotFound($"trial {id} does not exist.")));
        if (trial.Experiment.Trainer != ExperimentSpec.ExternalTrainer) return (null, NotExternal(trial.Experiment));
        if (attempt != trial.Attempt) return (null, Stale(trial, attempt));
        if (trial.Status == TrialStatus.Queued) return (null, Stale(trial, attempt));
        return (trial, null);
    }

    /// <summary>409 for a client whose attempt is no longer the trial's running one: the same fencing as a superseded worker.</summary>
    private static ProblemHttpResult Stale(Trial trial, int attempt) => Conflict("attempt",
        attempt > trial.Attempt ? $"trial {trial.Number} has no attempt {attempt} (its current attempt is {trial.Attempt})."
        : attempt < trial.Attempt ? $"attempt {attempt} of trial {trial.Number} was superseded by attempt {trial.Attempt}: its lease ran out and the trial was offered again."
        : $"the lease of attempt {attempt} of trial {trial.Number} ran out; the trial is offered again.");

    private static ProblemHttpResult NotExternal(Experiment experiment) => Conflict("trainer",
        $"experiment {experiment.Id} is trained by the service (trainer '{experiment.Trainer}'); ask/tell serves trainer '{ExperimentSpec.ExternalTrainer}' only.");

    private static ProblemHttpResult Conflict(string field, string message)
    {
        var problem = Problems.Conflict(message);
        problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [message] };
        return TypedResults.Problem(problem);
    }

    private static async Task<(T? Body, SpecErrors Errors)> ReadAsync<T>(HttpRequest http, Func<JsonElement, SpecErrors, T?> parse,
        CancellationToken cancellationToken) where T : class
    {
        var (json, errors) = await JsonBody.ReadAsync(http, cancellationToken);
        if (json is null) return (null, errors);
        using (json) return (parse(json.RootElement, errors), errors);
    }

    private static ReportResponse? Replay(Trial trial) => trial.Status switch
    {
        TrialStatus.Cancelled => new ReportResponse(ReportResponse.Cancelled, trial.Status.ToWire(), null, null),
        _ when trial.StopReasonJson is not null => new ReportResponse(ReportResponse.Prune, trial.Status.ToWire(), StopReasonDto.FromStored(trial.StopReasonJson), null),
        _ => new ReportResponse(ReportResponse.Continue, trial.Status.ToWire(), null, null),
    };

    private static TrialLeaseDto ToLease(Trial trial, Experiment experiment, AskTellOptions options, string? clientHost)
    {
        using var doc = JsonDocument.Parse(trial.ParamsJson);
        var parameters = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
        return new TrialLeaseDto(trial.Id, trial.ExperimentId, trial.Number, trial.Attempt, parameters, trial.Seed, trial.MaxEpochs, trial.Stage,
            new ObjectiveDto(experiment.ObjectiveMetric, experiment.Maximize ? "maximize" : "minimize"),
            options.LeaseSeconds, LeaseEnd(options), clientHost)
        {
            Objectives = StoredObjectives.Objectives(experiment).Select(o => new ObjectiveDto(o.Metric, o.Direction)).ToList(),
        };
    }

    /// <summary>The trial's holder as stored in <c>trials.worker</c> and shown in the dashboard: a client, never a worker slot.</summary>
    public static string Holder(string? clientHost) => $"{ClientPrefix}{clientHost ?? "unnamed"}";

    public const string ClientPrefix = "client:";

    private static DateTimeOffset LeaseEnd(AskTellOptions options) => DateTimeOffset.UtcNow + options.Lease;
}
