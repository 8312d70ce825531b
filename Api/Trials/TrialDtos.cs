using System.Text.Json;

namespace HpSearch.Api.Trials;

public sealed record TrialSummaryDto(
    Guid Id,
    Guid ExperimentId,
    int Number,
    string Status,
    string? Stage,
    JsonElement Params,
    int Attempt,
    /// <summary>Attempts of this trial whose worker died before finishing them (a kill, an out-of-memory, a node lost).</summary>
    int WorkerDeaths,
    string? Worker,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int EpochCount,
    int MaxEpochs,
    double? BestValue,
    int? BestEpoch,
    IReadOnlyDictionary<string, double?>? Best,
    IReadOnlyDictionary<string, double?>? Last,
    JsonElement? StopReason,
    string? Error,
    JsonElement? Summary,
    double? TestAccuracy,
    double? TestLoss)
{
    /// <summary>Per-epoch metrics; only on <c>GET /api/trials/{id}</c>.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<EpochDto>? Metrics { get; init; }
}

public sealed record EpochDto(
    int Epoch,
    double? TrainLoss,
    double? TrainAccuracy,
    double? ValLoss,
    double? ValAccuracy,
    double? Lr,
    double? Seconds,
    double? GradNorm,
    JsonElement? Extra,
    JsonElement? Layers);

