using HpSearch.Persistence.Experiments;
using HpSearch.Persistence.Model;

namespace HpSearch.Persistence.Trials;

/// <summary>The one place that says which metrics have their own column in <c>trial_epochs</c> (others go to <c>extra_json</c>),
/// read back here and written by <see cref="TrialWrites.WriteEpochAsync"/>.</summary>
public static class EpochColumns
{
    public static readonly IReadOnlySet<string> Metrics = new HashSet<string>(StringComparer.Ordinal)
    {
        "trainLoss", "trainAccuracy", "valLoss", "valAccuracy", "lr", "seconds", "gradNorm",
    };

    /// <summary>Every metric of a stored epoch row: its columns that are set, then the extra ones.</summary>
    public static Dictionary<string, double> Read(TrialEpoch e)
    {
        var m = new Dictionary<string, double>(StringComparer.Ordinal);
        void Put(string k, double? v) { if (v is { } x) m[k] = x; }
        Put("trainLoss", e.TrainLoss);
        Put("trainAccuracy", e.TrainAccuracy);
        Put("valLoss", e.ValLoss);
        Put("valAccuracy", e.ValAccuracy);
        Put("lr", e.Lr);
        Put("seconds", e.Seconds);
        Put("gradNorm", e.GradNorm);
        foreach (var (k, v) in WireJson.ParseNumbers(e.ExtraJson)) m.TryAdd(k, v);
        return m;
    }
}
