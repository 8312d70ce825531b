namespace HpSearch.Domain.Experiments;

/// <summary>A metric a sweep optimises and in which direction. Any metric a trainer reports can be one: the built-in
/// columns and whatever else a trainer (command, ask/tell) puts in its epochs.</summary>
public sealed record Objective(string Metric, bool Maximize)
{
    /// <summary>The most objectives one experiment may have (the exact hypervolume MOTPE uses grows as n^(d-1)).</summary>
    public const int MaxObjectives = 3;

    /// <summary>The metrics every in-process trainer reports each epoch (the first four are the classic objectives).</summary>
    public static readonly IReadOnlyList<string> BuiltinMetrics =
        ["valAccuracy", "valLoss", "trainLoss", "trainAccuracy", "lr", "seconds", "trainSeconds", "iterations", "gradNorm", "parameters"];

    /// <summary>The rule a free-form metric name follows (a command trainer's or a client's own metric).</summary>
    public const string NamePattern = "^[A-Za-z][A-Za-z0-9_.-]{0,63}$";

    /// <summary>Why <paramref name="metric"/> cannot name a metric; null when it can (a letter, then up to 63 letters,
    /// digits, '_', '.' or '-').</summary>
    public static string? NameProblem(string metric) =>
        metric.Length is >= 1 and <= 64 && char.IsAsciiLetter(metric[0])
        && metric.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')
            ? null
            : "must be 1 to 64 characters: a letter, then letters, digits, '_', '.' or '-'.";

    /// <summary>The direction a metric gets when the spec gives none: losses, times and sizes are minimised.</summary>
    public static bool DefaultMaximize(string metric) =>
        !(metric.EndsWith("Loss", StringComparison.Ordinal) || metric.EndsWith("loss", StringComparison.Ordinal)
          || metric is "seconds" or "trainSeconds" or "parameters" or "iterations");

    /// <summary>True when <paramref name="a"/> is strictly better than <paramref name="b"/>.</summary>
    public bool IsBetter(double a, double b) => Maximize ? a > b : a < b;

    /// <summary>The value as a loss (smaller is better): what dominance and the samplers compare.</summary>
    public double AsLoss(double value) => Maximize ? -value : value;

    /// <summary>The best of a sequence of values (NaN ignored); null when there is none.</summary>
    public double? Best(IEnumerable<double> values)
    {
        double? best = null;
        foreach (var v in values)
            if (double.IsFinite(v) && (best is null || IsBetter(v, best.Value)))
                best = v;
        return best;
    }
}
