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
            errors.Add(Field(e.Path), $"the body is not valid JSON (nested deeper than {MaxDepth} levels, malformed, or not UTF-8): {e.Message}");
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
}
