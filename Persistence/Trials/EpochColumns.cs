namespace HpSearch.Persistence.Trials;

/// <summary>The one place that says which metrics have their own column in <c>trial_epochs</c>; others go to <c>extra_json</c>.</summary>
public static class EpochColumns
{
    public static readonly IReadOnlySet<string> Metrics = new HashSet<string>(StringComparer.Ordinal)
    {
        "trainLoss", "trainAccuracy", "valLoss", "valAccuracy", "lr", "seconds", "gradNorm",
    };
}
