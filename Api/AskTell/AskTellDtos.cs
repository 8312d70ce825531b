using System.Text.Json;
using HpSearch.Api.Experiments;
using HpSearch.Persistence.Experiments;

namespace HpSearch.Api.AskTell;

/// <summary>The answer to an ask: a trial to train, or none (then <see cref="Done"/> says whether to stop or ask again later).</summary>
/// <param name="ExperimentStatus">The experiment's status; once it is finished (or cancelling) no trial will come.</param>
/// <param name="RetryAfterSeconds">With no trial and not done: when asking again may find one (all trials are out now).</param>
public sealed record AskResponse(TrialLeaseDto? Trial, string ExperimentStatus, bool Done, double? RetryAfterSeconds);

/// <summary>A trial leased to a client: what to train, and the attempt every later report and tell must carry.</summary>
/// <param name="Attempt">The lease's token: 1 for a first offer, 2 once a silent client's lease ran out, and so on.</param>
/// <param name="Params">Fixed and sampled parameters, merged.</param>
/// <param name="Seed">The trial's seed: seed every random draw of the training with it.</param>
/// <param name="MaxEpochs">Epochs this trial may run (a Hyperband bracket's trial may get fewer than the budget's).</param>
/// <param name="LeaseExpiresAt">The trial is offered again if nothing (a report, a heartbeat) arrives by then.</param>
public sealed record TrialLeaseDto(
    Guid TrialId,
    Guid ExperimentId,
    int Number,
    int Attempt,
    IReadOnlyDictionary<string, JsonElement> Params,
    int Seed,
    int MaxEpochs,
    string? Stage,
    ObjectiveDto Objective,
    int LeaseSeconds,
    DateTimeOffset LeaseExpiresAt,
    string? ClientHost)
{
    /// <summary>Every objective of the experiment (the first is <c>objective</c>): each report must hold all their metrics.</summary>
    public IReadOnlyList<ObjectiveDto> Objectives { get; init; } = [];
}

/// <summary>The answer to an epoch report.</summary>
/// <param name="Decision"><c>continue</c>; <c>prune</c> (a stopping rule ended the trial: stop training, the service has
/// recorded the outcome); or <c>cancelled</c> (the experiment was cancelled: stop).</param>
/// <param name="TrialStatus">The trial's status after this report (<c>running</c>, or how it ended).</param>
/// <param name="StopReason">Why a stopping rule ended the trial: the same stored reason as for a trial a worker trained.</param>
public sealed record ReportResponse(string Decision, string TrialStatus, StopReasonDto? StopReason, DateTimeOffset? LeaseExpiresAt)
{
    public const string Continue = "continue";
    public const string Prune = "prune";
    public const string Cancelled = "cancelled";
}

/// <summary>A stopping rule's decision as stored with the trial (<c>stopReason</c> of <c>GET /api/trials/{id}</c>).</summary>
/// <param name="Pruned">True for a cross-trial rule (the trial ends pruned); false for patience (it ends completed).</param>
public sealed record StopReasonDto(string Rule, int Epoch, int? Rung, double? Value, double? Threshold, string Message, bool Pruned)
{
    /// <summary>The stop reason as stored in <c>trials.stop_reason_json</c> (written from the Domain's decision), or null.</summary>
    public static StopReasonDto? FromStored(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<StopReasonDto>(json, WireJson.Options);
}

/// <summary>The answer to a tell.</summary>
/// <param name="Recorded">False when the trial had already ended (a repeated tell, or the service pruned it): nothing changed.</param>
public sealed record TellResponse(Guid TrialId, string TrialStatus, bool Recorded);

/// <summary>The answer to a heartbeat.</summary>
public sealed record HeartbeatResponse(DateTimeOffset LeaseExpiresAt);
