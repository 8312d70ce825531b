using System.Globalization;
using System.Text.Json;

namespace HpSearch.Domain.Search;

/// <summary>
/// Parameter values are plain CLR values: <see cref="double"/>, <see cref="long"/>, <see cref="string"/>,
/// <see cref="bool"/>, or a JSON array/object kept as <see cref="JsonElement"/>. These helpers convert them.
/// </summary>
public static class ParameterValue
{
    /// <summary>Turns a JSON value into the plain CLR value used in parameter dictionaries.</summary>
    public static object FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when e.TryGetInt64(out var l) && !e.GetRawText().Contains('.') && !e.GetRawText().Contains('e', StringComparison.OrdinalIgnoreCase) => l,
        // 1e400 does not fit a double: NaN, which every schema refuses as "not a finite number".
        JsonValueKind.Number => e.TryGetDouble(out var d) ? d : double.NaN,
        _ => e.Clone(),
    };

    public static double AsDouble(object v) => v switch
    {
        double d => d,
        float f => f,
        long l => l,
        int i => i,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        _ => throw new FormatException($"'{v}' is not a number."),
    };

    public static int AsInt(object v) => (int)Math.Round(AsDouble(v));

    public static string AsString(object v) => v switch
    {
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        JsonElement e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText(),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };

    public static bool AsBool(object v) => v switch
    {
        bool b => b,
        string s => bool.Parse(s),
        JsonElement { ValueKind: JsonValueKind.True } => true,
        JsonElement { ValueKind: JsonValueKind.False } => false,
        _ => AsDouble(v) != 0,
    };

    /// <summary>Reads a list of ints from an array value (e.g. <c>hidden: [256, 256]</c>) or a single number.</summary>
    public static int[] AsIntArray(object v) => v switch
    {
        JsonElement { ValueKind: JsonValueKind.Array } e => e.EnumerateArray().Select(x => (int)Math.Round(x.GetDouble())).ToArray(),
        int[] a => a,
        IEnumerable<object> list => list.Select(AsInt).ToArray(),
        _ => [AsInt(v)],
    };
}
