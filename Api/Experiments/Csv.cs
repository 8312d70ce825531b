using System.Globalization;
using System.Text;
using System.Text.Json;
using HpSearch.Api.Trials;

namespace HpSearch.Api.Experiments;

/// <summary>Trials as RFC 4180 CSV, one column per parameter.</summary>
public static class Csv
{
    /// <summary>The header line: number, status, stage, one column per parameter (in the order given), then the outcome;
    /// with several objectives, then <c>onFront</c> and one <c>objective.&lt;metric&gt;</c> column per objective.</summary>
    public static string Header(IReadOnlyList<string> paramNames, string objectiveMetric, IReadOnlyList<string>? objectives = null)
    {
        var header = new List<string> { "number", "status", "stage" };
        header.AddRange(paramNames);
        header.AddRange([objectiveMetric, "bestEpoch", "epochs", "stopRule", "testAccuracy", "error"]);
        if (objectives is not null) header.AddRange(["onFront", .. objectives.Select(m => $"objective.{m}")]);
        return string.Join(',', header.Select(Field));
    }

    /// <summary>One trial's line, its parameters in the header's order (empty where the trial has none of that name).</summary>
    public static string Row(TrialSummaryDto t, IReadOnlyList<string> paramNames,
        (bool OnFront, double[]? Values, int Count)? objectives = null)
    {
        var row = new List<string> { t.Number.ToString(CultureInfo.InvariantCulture), t.Status, t.Stage ?? "" };
        row.AddRange(paramNames.Select(n => t.Params.TryGetProperty(n, out var v) ? Value(v) : ""));
        row.Add(Number(t.BestValue));
        row.Add(t.BestEpoch?.ToString(CultureInfo.InvariantCulture) ?? "");
        row.Add(t.EpochCount.ToString(CultureInfo.InvariantCulture));
        row.Add(t.StopReason is { } s && s.TryGetProperty("rule", out var r) ? r.GetString() ?? "" : "");
        row.Add(Number(t.TestAccuracy));
        row.Add(t.Error ?? "");
        if (objectives is { } o)
        {
            row.Add(o.OnFront ? "true" : "false");
            for (var i = 0; i < o.Count; i++) row.Add(o.Values is { } v ? Number(v[i]) : "");
        }
        return string.Join(',', row.Select(Field));
    }

    private static string Number(double? v) => v?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    private static string Value(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString() ?? "",
        JsonValueKind.Number => v.GetRawText(),
        _ => v.GetRawText(),
    };

    /// <summary>Quotes a field when needed. A cell starting with = + - @ tab or CR is prefixed with ' so spreadsheets do not
    /// run it as a formula (OWASP CSV injection), except a plain number such as -0.5.</summary>
    public static string Field(string s)
    {
        if (s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r'
            && !(s[0] is '-' or '+' && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            s = "'" + s;
        return s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{s.Replace("\"", "\"\"")}\"" : s;
    }
}
