using System.Text.Json;
using System.Text.Json.Serialization;
using HpSearch.Persistence.Model;

namespace HpSearch.Api.Experiments;

public sealed record ObjectiveDto(string Metric, string Direction);

/// <summary>A trial on the Pareto front and its values of the objectives, in the order of <c>objectives</c>.</summary>
public sealed record FrontMemberDto(Guid TrialId, int Number, IReadOnlyList<double> Values);

public sealed record TrialCountsDto(int Queued, int Running, int Completed, int Pruned, int Diverged, int Failed, int Cancelled)
{
    public static TrialCountsDto From(ExperimentCounters c) =>
        new(c.Queued, c.Running, c.Completed, c.Pruned, c.Diverged, c.Failed, c.Cancelled);

    public int Finished => Completed + Pruned + Diverged + Failed + Cancelled;
}

public sealed record ExperimentSummaryDto(
    Guid Id,
    string Name,
    string Status,
    string Strategy,
    string Trainer,
    string Dataset,
    string Pool,
    ObjectiveDto Objective,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int MaxTrials,
    int Parallelism,
    TrialCountsDto TrialCounts,
    double? BestValue,
    Guid? BestTrialId,
    int? BestTrialNumber,
    int EpochsTrained,
    int EpochsBudget,
    int EpochsSaved,
    string? CurrentStage,
    Guid? ScheduleId,
    string? FailureReason,
    bool? Regression = null,
    double? PreviousBestValue = null,
    int WarmStartTrials = 0)
{
    /// <summary>Every objective, the first being <c>objective</c>; several make <see cref="Front"/> the result.</summary>
    public IReadOnlyList<ObjectiveDto> Objectives { get; init; } = [];

    /// <summary>The Pareto front of an experiment with several objectives: the completed trials no other completed trial
    /// dominates, by number; empty with one objective (its result is the best trial).</summary>
    public IReadOnlyList<FrontMemberDto> Front { get; init; } = [];

    /// <summary>Labels to find the experiment by (set at submit, edited with PATCH).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>A free-text note, or null.</summary>
    public string? Note { get; init; }

    /// <summary>The submitted spec; only on <c>GET /api/experiments/{id}</c> (and create/cancel responses).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Spec { get; init; }

    /// <summary>Every stage's result (six-step); an empty list for other strategies. Detail only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Stages { get; init; }

    /// <summary>The best trial so far (with test metrics once evaluated). Detail only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Trials.TrialSummaryDto? BestTrial { get; init; }
}

public sealed record PageDto<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

public sealed record CurvesDto(IReadOnlyList<string> Metrics, IReadOnlyList<TrialCurveDto> Trials);

public sealed record TrialCurveDto(
    Guid Id,
    int Number,
    string Status,
    IReadOnlyList<int> Epochs,
    IReadOnlyList<double?> TrainLoss,
    IReadOnlyList<double?> ValLoss,
    IReadOnlyList<double?> ValAccuracy);

public sealed record ImportanceDto(string Method, int Trials, IReadOnlyList<ParameterImportanceDto> Parameters);

public sealed record ParameterImportanceDto(string Name, double Importance);
