using System.Text.Json;

namespace HpSearch.Client;

// The service's JSON, as the client reads it (camelCase). Spec-shaped values stay JSON: the service validates them.

public sealed record Objective(string Metric, string Direction);

/// <summary>A trial on an experiment's Pareto front, with its values of the objectives (in the order of <c>Objectives</c>).</summary>
public sealed record FrontMember(Guid TrialId, int Number, IReadOnlyList<double> Values);

public sealed record TrialCounts(int Queued, int Running, int Completed, int Pruned, int Diverged, int Failed, int Cancelled)
{
    public int Finished => Completed + Pruned + Diverged + Failed + Cancelled;
}

public sealed record Experiment(
    Guid Id, string Name, string Status, string Strategy, string Trainer, string Dataset, string Pool, Objective Objective,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, int MaxTrials, int Parallelism,
    TrialCounts TrialCounts, double? BestValue, Guid? BestTrialId, int? BestTrialNumber, int EpochsTrained, int EpochsBudget,
    int EpochsSaved, string? CurrentStage, Guid? ScheduleId, string? FailureReason, bool? Regression, double? PreviousBestValue,
    int WarmStartTrials, JsonElement? Spec, JsonElement? Stages, Trial? BestTrial, IReadOnlyList<string>? Tags = null, string? Note = null)
{
    /// <summary>Every objective, the first being <see cref="Objective"/>.</summary>
    public IReadOnlyList<Objective> Objectives { get; init; } = [];

    /// <summary>The Pareto front when there are several objectives (the result then); empty with one.</summary>
    public IReadOnlyList<FrontMember> Front { get; init; } = [];

    public bool IsFinished => Status is "completed" or "failed" or "cancelled";
}

/// <summary>What <c>GET /api/experiments</c> searches and sorts by: <paramref name="Search"/> is a case-insensitive part of the
/// name, every one of <paramref name="Tags"/> must be present, <paramref name="Sort"/> is createdAt (default), name, status, dataset,
/// trainer, bestValue or finishedAt, <paramref name="Order"/> asc or desc.</summary>
public sealed record ExperimentQuery(string? Status = null, string? Search = null, IReadOnlyList<string>? Tags = null, string? Dataset = null,
    string? Trainer = null, string? Sort = null, string? Order = null);

public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

public sealed record Trial(
    Guid Id, Guid ExperimentId, int Number, string Status, string? Stage, IReadOnlyDictionary<string, JsonElement> Params, int Attempt,
    string? Worker, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, int EpochCount, int MaxEpochs,
    double? BestValue, int? BestEpoch, IReadOnlyDictionary<string, double?>? Best, IReadOnlyDictionary<string, double?>? Last,
    JsonElement? StopReason, string? Error, JsonElement? Summary, double? TestAccuracy, double? TestLoss, IReadOnlyList<EpochMetrics>? Metrics);

public sealed record EpochMetrics(
    int Epoch, double? TrainLoss, double? TrainAccuracy, double? ValLoss, double? ValAccuracy, double? Lr, double? Seconds,
    double? GradNorm, JsonElement? Extra, JsonElement? Layers);

public sealed record Curves(IReadOnlyList<string> Metrics, IReadOnlyList<TrialCurve> Trials);

public sealed record TrialCurve(Guid Id, int Number, string Status, IReadOnlyList<int> Epochs, IReadOnlyList<double?> TrainLoss,
    IReadOnlyList<double?> ValLoss, IReadOnlyList<double?> ValAccuracy);

/// <summary>Every trial as columns (index i of each list is one trial, number order); <c>Next</c> is the <c>after</c> of the next
/// chunk. Times are Unix milliseconds; <c>Params</c> null where a trial lacks the parameter.</summary>
public sealed record TrialColumns(
    int Count, int? Next, IReadOnlyList<Guid> Id, IReadOnlyList<int> Number, IReadOnlyList<string> Status, IReadOnlyList<string?> Stage,
    IReadOnlyList<int> Attempt, IReadOnlyList<double?> BestValue, IReadOnlyList<int?> BestEpoch, IReadOnlyList<int> EpochCount,
    IReadOnlyList<int> MaxEpochs, IReadOnlyList<string?> Worker, IReadOnlyList<long?> StartedAt, IReadOnlyList<long?> FinishedAt,
    IReadOnlyList<string?> StopRule, IReadOnlyDictionary<string, List<JsonElement?>> Params, IReadOnlyDictionary<string, List<double?>> Objectives);

public sealed record Importance(string Method, int Trials, IReadOnlyList<ParameterImportance> Parameters);

public sealed record ParameterImportance(string Name, double Importance);

public sealed record WorkerNode(string Node, JsonElement Pools, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat, bool Alive, JsonElement Slots);

public sealed record Schedule(
    Guid Id, string Name, string Cron, string QuartzCron, string TimeZone, bool Enabled, string MisfirePolicy, string OverlapPolicy,
    int WarmStartTopK, double RegressionMargin, JsonElement Template, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? NextFireTime, DateTimeOffset? LastFiredAt, string? LastFireOutcome, IReadOnlyList<ScheduleRun> Runs)
{
    /// <summary>The body that recreates this schedule (for an update that changes one field).</summary>
    public ScheduleRequest ToRequest() =>
        new(Name, Cron, Template, TimeZone, Enabled, MisfirePolicy, OverlapPolicy, WarmStartTopK, RegressionMargin);
}

public sealed record ScheduleRun(Guid Id, string Name, string Status, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt,
    double? BestValue, double? PreviousBestValue, bool? Regression, int WarmStartTrials);

/// <summary>The body of create and update schedule; null fields take the service's defaults.</summary>
public sealed record ScheduleRequest(
    string Name, string Cron, JsonElement Template, string? TimeZone = null, bool? Enabled = null, string? MisfirePolicy = null,
    string? OverlapPolicy = null, int? WarmStartTopK = null, double? RegressionMargin = null);

public sealed record ApiKeyInfo(Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

public sealed record CreatedApiKey(Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, string Key);

public sealed record Health(string Status, IReadOnlyDictionary<string, HealthCheck>? Checks);

public sealed record HealthCheck(string Status, string? Description);

/// <summary>One server-sent event of an experiment's live stream.</summary>
public sealed record ServerEvent(string Event, string Data);

public enum ExportFormat
{
    Csv,
    Json,
}

/// <summary>The answer to an ask: a leased trial, or none now (<see cref="Done"/> once the experiment takes no more).</summary>
public sealed record AskResult(TrialLease? Trial, string ExperimentStatus, bool Done, double? RetryAfterSeconds);

/// <summary>One attempt of a trial leased to a client: what to train and until when the lease holds.</summary>
public sealed record TrialLease(Guid TrialId, Guid ExperimentId, int Number, int Attempt, IReadOnlyDictionary<string, JsonElement> Params,
    int Seed, int MaxEpochs, string? Stage, Objective Objective, int LeaseSeconds, DateTimeOffset LeaseExpiresAt, string? ClientHost)
{
    /// <summary>Every objective: each report must hold all their metrics.</summary>
    public IReadOnlyList<Objective> Objectives { get; init; } = [];
}

/// <summary>The answer to an epoch report: <c>continue</c>, <c>prune</c> (with the stored reason) or <c>cancelled</c>.</summary>
public sealed record ReportResult(string Decision, string TrialStatus, AskTellStopReason? StopReason, DateTimeOffset? LeaseExpiresAt);

public sealed record AskTellStopReason(string Rule, int Epoch, int? Rung, double? Value, double? Threshold, string Message, bool Pruned);

public sealed record TellResult(Guid TrialId, string TrialStatus, bool Recorded);

public sealed record HeartbeatResult(DateTimeOffset LeaseExpiresAt);

/// <summary>A file kept of a completed experiment's trial (a checkpoint, or a command trainer's file); <see cref="Url"/> downloads it.</summary>
public sealed record Artifact(Guid TrialId, int TrialNumber, string Name, string Kind, long SizeBytes, string Sha256,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string Url);
