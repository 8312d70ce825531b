using System.Globalization;
using System.Text.Json;
using HpSearch.Domain.Validation;

namespace HpSearch.Domain.Parameters;

/// <summary>The values one trainer parameter accepts: a type, numeric bounds (each end open or closed) or a set of names.</summary>
public sealed record ParameterRule(
    RuleType Type,
    double Min = double.NegativeInfinity,
    double Max = double.PositiveInfinity,
    bool MinExclusive = false,
    bool MaxExclusive = false,
    IReadOnlyList<string>? Choices = null,
    int MaxItems = 1)
{
    /// <summary>Longest accepted string value.</summary>
    public const int MaxTextLength = 1000;

    public static ParameterRule Number(double min, double max, bool minExclusive = false, bool maxExclusive = false) =>
        new(RuleType.Number, min, max, minExclusive, maxExclusive);

    public static ParameterRule Integer(long min, long max) => new(RuleType.Integer, min, max);

    public static ParameterRule Boolean() => new(RuleType.Boolean);

    public static ParameterRule Choice(params string[] choices) => new(RuleType.Choice, Choices: choices);

    public static ParameterRule Text() => new(RuleType.Text);

    public static ParameterRule Scalar() => new(RuleType.Scalar);

    public static ParameterRule IntegerList(long min, long max, int maxItems) => new(RuleType.IntegerList, min, max, MaxItems: maxItems);

    public static ParameterRule NumberList(double min, double max, bool maxExclusive, int maxItems) =>
        new(RuleType.NumberList, min, max, MaxExclusive: maxExclusive, MaxItems: maxItems);

    /// <summary>True when a continuous range (uniform, log-uniform) can be searched for this parameter.</summary>
    public bool IsContinuous => Type is RuleType.Number or RuleType.NumberList or RuleType.Scalar;

    /// <summary>True when an integer range can be searched for this parameter.</summary>
    public bool IsNumeric => Type is RuleType.Number or RuleType.Integer or RuleType.NumberList or RuleType.IntegerList or RuleType.Scalar;

    /// <summary>Records an error at <paramref name="path"/> when <paramref name="value"/> is not accepted.</summary>
    public void Check(object value, string path, SpecErrors errors)
    {
        var error = Explain(value, path, errors);
        if (error is not null) errors.Add(path, error);
    }

    /// <summary>Why a number lies outside the bounds, or null when it does not.</summary>
    public string? OutOfBounds(double d)
    {
        var low = MinExclusive ? d <= Min : d < Min;
        var high = MaxExclusive ? d >= Max : d > Max;
        return low || high ? $"must be {Describe()}." : null;
    }

    /// <summary>The bounds in words, e.g. "in [0, 1)" or "greater than 0".</summary>
    public string Describe()
    {
        var hasMin = !double.IsNegativeInfinity(Min);
        var hasMax = !double.IsPositiveInfinity(Max);
        var min = Min.ToString(CultureInfo.InvariantCulture);
        var max = Max.ToString(CultureInfo.InvariantCulture);
        return (hasMin, hasMax) switch
        {
            (true, true) => $"in {(MinExclusive ? "(" : "[")}{min}, {max}{(MaxExclusive ? ")" : "]")}",
            (true, false) => MinExclusive ? $"greater than {min}" : $"at least {min}",
            (false, true) => MaxExclusive ? $"less than {max}" : $"at most {max}",
            _ => "a finite number",
        };
    }

    private string? Explain(object value, string path, SpecErrors errors)
    {
        if (value is double x && !double.IsFinite(x)) return "must be a finite number that fits a double.";
        switch (Type)
        {
            case RuleType.Number:
                return AsNumber(value, out var d) ? OutOfBounds(d) : "must be a number (not a string or an array).";
            case RuleType.Integer:
                return AsNumber(value, out var i) && i == Math.Floor(i) ? OutOfBounds(i) : "must be a whole number (not a fraction, string or array).";
            case RuleType.Boolean:
                return value is bool ? null : "must be true or false.";
            case RuleType.Choice:
                return value is string s && (Choices!.Contains(s) || Choices!.Contains(s.ToLowerInvariant()))
                    ? null
                    : $"must be one of {string.Join(", ", Choices!)}.";
            case RuleType.Text:
                return value is string t ? (t.Length > MaxTextLength ? $"must be at most {MaxTextLength} characters." : null) : "must be a string.";
            case RuleType.Scalar:
                return value switch
                {
                    string text => text.Length > MaxTextLength ? $"must be at most {MaxTextLength} characters." : null,
                    bool => null,
                    _ when AsNumber(value, out _) => null,
                    _ => "must be a number, a string or true/false.",
                };
            default:
                return ExplainList(value, path, errors);
        }
    }

    private string? ExplainList(object value, string path, SpecErrors errors)
    {
        var whole = Type == RuleType.IntegerList;
        var what = whole ? "whole numbers" : "numbers";
        if (value is JsonElement { ValueKind: JsonValueKind.Array } array)
        {
            var n = array.GetArrayLength();
            if (n == 0 || n > MaxItems) return $"must be a list of 1 to {MaxItems} {what}.";
            var k = 0;
            foreach (var item in array.EnumerateArray())
            {
                var itemPath = $"{path}[{k++}]";
                var v = item.ValueKind == JsonValueKind.Number && item.TryGetDouble(out var parsed) ? parsed : double.NaN;
                if (!double.IsFinite(v) || (whole && v != Math.Floor(v)))
                    errors.Add(itemPath, $"must be a {(whole ? "whole number" : "number")} (not a fraction, string or object).");
                else if (OutOfBounds(v) is { } bounds)
                    errors.Add(itemPath, bounds);
            }
            return null;
        }
        if (!AsNumber(value, out var d) || (whole && d != Math.Floor(d))) return $"must be a {(whole ? "whole number" : "number")} or a list of {what}.";
        return OutOfBounds(d);
    }

    private static bool AsNumber(object value, out double d)
    {
        d = value switch
        {
            double x => x,
            long l => l,
            int i => i,
            _ => double.NaN,
        };
        return double.IsFinite(d);
    }
}
