using System.Text.Json;
using HpSearch.Domain.Validation;

namespace HpSearch.Api.AskTell;

/// <summary>Body of <c>POST /api/trials/{id}/report</c>: one epoch's metrics of the attempt the client holds.</summary>
/// <param name="Attempt">The attempt from the ask answer: the lease's token.</param>
/// <param name="Epoch">1 for the first epoch; epochs come in order, and one already stored is a no-op.</param>
/// <param name="Metrics">Metric name → value (null for a value that was NaN or infinite); must hold the objective's metric.</param>
public sealed record ReportRequest(int Attempt, int Epoch, IReadOnlyDictionary<string, double?> Metrics)
{
    /// <summary>Most metrics one report may carry.</summary>
    public const int MaxMetrics = 64;

    public static ReportRequest? TryParse(JsonElement json, SpecErrors errors)
    {
        if (!AskTellRead.IsObject(json, errors)) return null;
        JsonRead.RejectUnknown(json, "", errors, "attempt", "epoch", "metrics");
        var attempt = AskTellRead.Attempt(json, errors);
        var epoch = JsonRead.Int(json, "epoch", "epoch", errors, required: true);
        if (epoch is < 1) errors.Add("epoch", "must be at least 1.");
        var metrics = new Dictionary<string, double?>(StringComparer.Ordinal);
        if (!JsonRead.TryGet(json, "metrics", out var m)) errors.Add("metrics", "is required.");
        else if (m.ValueKind != JsonValueKind.Object) errors.Add("metrics", "must be an object of metric name → number.");
        else
        {
            foreach (var p in m.EnumerateObject())
            {
                var path = $"metrics.{p.Name}";
                if (p.Name.Length is 0 or > 64 || !p.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
                    errors.Add("metrics", $"'{Shorten(p.Name)}' is not a usable metric name (1 to 64 letters, digits, '_', '-' or '.').");
                else if (p.Value.ValueKind == JsonValueKind.Null) metrics[p.Name] = null;
                else if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetDouble(out var d) || !double.IsFinite(d))
                    errors.Add(path, "must be a finite number, or null for a value that was NaN or infinite.");
                else metrics[p.Name] = d;
            }
            if (m.EnumerateObject().Count() > MaxMetrics) errors.Add("metrics", $"must hold at most {MaxMetrics} metrics.");
        }
        return errors.IsEmpty ? new ReportRequest(attempt!.Value, epoch!.Value, metrics) : null;
    }

    /// <summary>The finite values, as the epoch store takes them (a null is a missing value, like a worker's NaN).</summary>
    public IReadOnlyDictionary<string, double> FiniteMetrics() =>
        Metrics.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!.Value, StringComparer.Ordinal);

    private static string Shorten(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
