using System.Text.Json;

namespace HpSearch.Api.Experiments;

public sealed record ObjectiveDto(string Metric, string Direction);

public sealed record TrialCountsDto(int Queued, int Running, int Completed, int Pruned, int Diverged, int Failed, int Cancelled)
{
    public static TrialCountsDto From(IReadOnlyDictionary<string, int> byStatus)
    {
        int C(string s) => byStatus.TryGetValue(s, out var n) ? n : 0;
        return new(C("queued"), C("running"), C("completed"), C("pruned"), C("diverged"), C("failed"), C("cancelled"));
    }

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
    int WarmStartTrials = 0);

public sealed record ExperimentDetailDto(
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
    JsonElement Spec,
    JsonElement? Stages,
    Trials.TrialSummaryDto? BestTrial,
    bool? Regression = null,
    double? PreviousBestValue = null,
    int WarmStartTrials = 0);

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
