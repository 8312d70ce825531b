using System.Text.Json;
using HpSearch.Domain.Validation;

namespace HpSearch.Domain.Experiments;

/// <summary>An experiment's tags and free-text note: what people write to find and remember a sweep. Validated here for both
/// places they are written (the spec at submit, <c>PATCH /api/experiments/{id}</c> afterwards), each bad value named by its path.</summary>
public static class ExperimentLabels
{
    public const int MaxTags = 20;
    public const int MaxTagLength = 40;
    public const int MaxNoteLength = 4000;

    /// <summary>The rule a tag follows, as shown to users.</summary>
    public const string TagRule = "1 to 40 characters: letters, digits, '-', '_', '.', ':' or '/', starting with a letter or digit";

    /// <summary>True when <paramref name="tag"/> follows <see cref="TagRule"/>.</summary>
    public static bool IsTag(string tag) =>
        tag.Length is >= 1 and <= MaxTagLength && char.IsAsciiLetterOrDigit(tag[0])
        && tag.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '/');

    /// <summary>Reads a JSON array of tags at <paramref name="path"/>: at most <see cref="MaxTags"/>, each following
    /// <see cref="TagRule"/>, none repeated. Null (with errors) when it is not valid.</summary>
    public static IReadOnlyList<string>? ReadTags(JsonElement value, string path, SpecErrors errors)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(path, "must be an array of strings.");
            return null;
        }
        var tags = new List<string>();
        var ok = true;
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var at = $"{path}[{i++}]";
            if (item.ValueKind != JsonValueKind.String)
            {
                errors.Add(at, "must be a string.");
                ok = false;
                continue;
            }
            var tag = item.GetString()!;
            if (!IsTag(tag))
            {
                errors.Add(at, $"must be {TagRule}.");
                ok = false;
            }
            else if (tags.Contains(tag, StringComparer.Ordinal))
            {
                errors.Add(at, $"repeats the tag '{tag}'.");
                ok = false;
            }
            else tags.Add(tag);
        }
        if (i > MaxTags)
        {
            errors.Add(path, $"holds {i} tags; at most {MaxTags} are allowed.");
            ok = false;
        }
        return ok ? tags : null;
    }

    /// <summary>Reads a note at <paramref name="path"/>: a string of at most <see cref="MaxNoteLength"/> characters (line
    /// breaks and tabs allowed, other control characters refused by the body reader). An empty note is stored as none.</summary>
    public static string? ReadNote(JsonElement value, string path, SpecErrors errors, out bool ok)
    {
        ok = false;
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(path, "must be a string.");
            return null;
        }
        var note = value.GetString()!;
        if (note.Length > MaxNoteLength)
        {
            errors.Add(path, $"is {note.Length} characters long; at most {MaxNoteLength} are allowed.");
            return null;
        }
        ok = true;
        return note.Trim().Length == 0 ? null : note;
    }
}
