using System.Text.Json;

namespace HpSearch.Domain.Validation;

/// <summary>Typed reads of JSON members that record a named error instead of throwing.</summary>
public static class JsonRead
{
    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
            return true;
        value = default;
        return false;
    }

    public static double? Number(JsonElement obj, string name, string path, SpecErrors errors, bool required = false)
    {
        if (!TryGet(obj, name, out var v))
        {
            if (required) errors.Add(path, "is required.");
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || !double.IsFinite(d))
        {
            errors.Add(path, "must be a finite number.");
            return null;
        }
        return d;
    }

    public static int? Int(JsonElement obj, string name, string path, SpecErrors errors, bool required = false)
    {
        if (!TryGet(obj, name, out var v))
        {
            if (required) errors.Add(path, "is required.");
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i))
        {
            errors.Add(path, "must be a whole number.");
            return null;
        }
        return i;
    }

    public static string? String(JsonElement obj, string name, string path, SpecErrors errors, bool required = false)
    {
        if (!TryGet(obj, name, out var v))
        {
            if (required) errors.Add(path, "is required.");
            return null;
        }
        if (v.ValueKind != JsonValueKind.String)
        {
            errors.Add(path, "must be a string.");
            return null;
        }
        return v.GetString();
    }

    public static bool? Bool(JsonElement obj, string name, string path, SpecErrors errors)
    {
        if (!TryGet(obj, name, out var v)) return null;
        if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add(path, "must be true or false.");
            return null;
        }
        return v.GetBoolean();
    }

    /// <summary>Reports every member of <paramref name="obj"/> not in <paramref name="known"/>.</summary>
    public static void RejectUnknown(JsonElement obj, string path, SpecErrors errors, params string[] known)
    {
        if (obj.ValueKind != JsonValueKind.Object) return;
        foreach (var p in obj.EnumerateObject())
            if (!known.Contains(p.Name, StringComparer.Ordinal))
                errors.Add(Join(path, p.Name), "is not a known field.");
    }

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
