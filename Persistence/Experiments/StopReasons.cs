using HpSearch.Domain.EarlyStopping;

namespace HpSearch.Persistence.Experiments;

/// <summary>The stored form of a <see cref="StopDecision"/> (<c>trials.stop_reason_json</c>): one shape whoever trained the trial.</summary>
public static class StopReasons
{
    public static string? ToJson(StopDecision? decision) => decision is not { } d ? null : WireJson.Serialize(new
    {
        rule = d.Rule, epoch = d.Epoch, rung = d.Rung,
        value = double.IsFinite(d.Value) ? d.Value : (double?)null,
        threshold = double.IsFinite(d.Threshold) ? d.Threshold : (double?)null,
        message = d.Reason, pruned = d.Pruned,
    });
}
