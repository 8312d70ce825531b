using System.Text.Json;
using HpSearch.Domain.Validation;

namespace HpSearch.Api;

/// <summary>Reads a JSON request body for the write endpoints: a size cap, a depth limit, and only valid text (no NUL,
/// control characters, lone surrogates or invalid UTF-8); every refusal is a named error instead of an exception.</summary>
public static class JsonBody
{
    /// <summary>Largest accepted body.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>Deepest accepted nesting (a spec needs 4).</summary>
    public const int MaxDepth = 32;

    public static async Task<(JsonDocument? Json, SpecErrors Errors)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var errors = new SpecErrors();
        if (request.ContentLength > MaxBytes)
        {
            errors.Add("$", $"the body is larger than {MaxBytes / 1024} KiB.");
            return (null, errors);
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes)
            {
                errors.Add("$", $"the body is larger than {MaxBytes / 1024} KiB.");
                return (null, errors);
            }
        }
        if (buffer.Length == 0)
        {
            errors.Add("$", "the body is empty; send JSON.");
            return (null, errors);
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            errors.Add(DepthPath(buffer.ToArray()) ?? Field(e.Path), $"the body is not valid JSON (nested deeper than {MaxDepth} levels, malformed, or not UTF-8): {e.Message}");
            return (null, errors);
        }
        JsonText.Check(doc.RootElement, "", errors);
        if (errors.IsEmpty) return (doc, errors);
        doc.Dispose();
        return (null, errors);
    }

    /// <summary>"$.params.hidden[1]" → "params.hidden[1]"; "$" or nothing → "$".</summary>
    private static string Field(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$") return "$";
        var p = jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
        return p.Length == 0 || JsonText.Problem(p) is not null ? "$" : p;
    }

    /// <summary>Where a body first nests deeper than <see cref="MaxDepth"/> (e.g. <c>params.deep[0][0]</c>), or null when it
    /// does not (or cannot be read that far).</summary>
    private static string? DepthPath(byte[] bytes)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 4096 });
        var stack = new List<(bool Array, string Name, int Index)>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        stack[^1] = (false, reader.GetString() ?? "", 0);
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        NextElement(stack);
                        if (reader.CurrentDepth >= MaxDepth) return PathOf(stack);
                        stack.Add((reader.TokenType == JsonTokenType.StartArray, "", -1));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        stack.RemoveAt(stack.Count - 1);
                        break;
                    default:
                        NextElement(stack);
                        break;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
        return null;
    }

    private static void NextElement(List<(bool Array, string Name, int Index)> stack)
    {
        if (stack.Count > 0 && stack[^1].Array) stack[^1] = stack[^1] with { Index = stack[^1].Index + 1 };
    }

    private static string PathOf(List<(bool Array, string Name, int Index)> stack)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var (array, name, index) in stack)
        {
            if (array) sb.Append('[').Append(index).Append(']');
            else if (name.Length > 0) sb.Append(sb.Length > 0 ? "." : "").Append(name);
        }
        var path = sb.ToString();
        return path.Length == 0 || JsonText.Problem(path) is not null ? "$" : path;
    }
}
