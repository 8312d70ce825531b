using System.Text.Json;
using System.Text.Json.Serialization;
using HpSearch.Domain.Search;

namespace HpSearch.Persistence.Experiments;

/// <summary>The JSON settings of every stored document (camelCase, enums as strings), and parameter-map conversions.</summary>
public static class WireJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? Deserialize<T>(string? json) => json is null ? default : JsonSerializer.Deserialize<T>(json, Options);

    /// <summary>Reads a stored parameter map back into plain values (double, long, string, bool, JsonElement).</summary>
    public static IReadOnlyDictionary<string, object> ParseParams(string? json)
    {
        var result = new Dictionary<string, object>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(json)) return result;
        using var doc = JsonDocument.Parse(json);
        foreach (var p in doc.RootElement.EnumerateObject())
            result[p.Name] = ParameterValue.FromJson(p.Value.Clone());
        return result;
    }

    public static IReadOnlyDictionary<string, double> ParseNumbers(string? json)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(json)) return result;
        using var doc = JsonDocument.Parse(json);
        foreach (var p in doc.RootElement.EnumerateObject())
            if (p.Value.ValueKind == JsonValueKind.Number) result[p.Name] = p.Value.GetDouble();
        return result;
    }
}
