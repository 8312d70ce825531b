using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using HpSearch.Workers.Training;

namespace HpSearch.Workers.Training.Command;

/// <summary>The command-trainer protocol: one JSON object per epoch on stdout,
/// <c>{"epoch":1,"trainLoss":0.9,"valLoss":0.8,"valAccuracy":0.7}</c>; every other numeric member is an extra metric.
/// Python's <c>NaN</c>/<c>Infinity</c> literals are accepted (a diverged run prints them).</summary>
public static partial class EpochLine
{
    /// <summary>The epoch, or null with a reason when the line is not a protocol line.</summary>
    public static EpochReport? TryParse(string line, out string? error)
    {
        error = null;
        var text = NonFiniteLiteral().Replace(line.Trim(), m => $"{m.Groups[1].Value}\"{m.Groups[2].Value}\"");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            error = $"not JSON ({e.Message})";
            return null;
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "not a JSON object";
                return null;
            }
            if (!root.TryGetProperty("epoch", out var e) || !e.TryGetInt32(out var epoch) || epoch < 1)
            {
                error = "no positive integer 'epoch'";
                return null;
            }
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var p in root.EnumerateObject())
            {
                if (p.Name == "epoch") continue;
                if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetDouble(out var number)) metrics[p.Name] = number;
                else if (p.Value.ValueKind == JsonValueKind.String
                         && double.TryParse(p.Value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                         && !double.IsFinite(d)) metrics[p.Name] = d; // only the NaN/Infinity literals quoted above
            }
            return new EpochReport(epoch, metrics);
        }
    }

    [GeneratedRegex(@"([:\[,]\s*)(-?Infinity|NaN)")]
    private static partial Regex NonFiniteLiteral();
}
