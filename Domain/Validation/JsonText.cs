using System.Text.Json;

namespace HpSearch.Domain.Validation;

/// <summary>Refuses text that cannot be stored or shown safely: invalid UTF-8, lone surrogates, NUL and other control
/// characters, in any string value or member name of a request body; each error names the path where it was found.</summary>
public static class JsonText
{
    /// <summary>Members whose text may hold line breaks and tabs: an experiment's free-text note, in a spec or PATCH body and
    /// in a schedule's spec template.</summary>
    public static readonly IReadOnlySet<string> MultilineFields = new HashSet<string>(StringComparer.Ordinal) { "note", "template.note" };

    public static void Check(JsonElement e, string path, SpecErrors errors)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = p.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        errors.Add(path.Length == 0 ? "$" : path, "has a member name that is not valid UTF-8/UTF-16 text.");
                        continue;
                    }
                    if (Problem(name) is { } bad)
                    {
                        // The name itself is not echoed as a field: the error sits at the object that holds it.
                        errors.Add(path.Length == 0 ? "$" : path, $"a member name {bad}");
                        continue;
                    }
                    Check(p.Value, JsonRead.Join(path, name), errors);
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in e.EnumerateArray()) Check(item, $"{(path.Length == 0 ? "$" : path)}[{i++}]", errors);
                break;
            case JsonValueKind.String:
                string? text;
                try
                {
                    text = e.GetString();
                }
                catch (InvalidOperationException)
                {
                    errors.Add(path.Length == 0 ? "$" : path, "is not valid text (invalid UTF-8 or a lone surrogate).");
                    break;
                }
                if (text is not null && Problem(text, MultilineFields.Contains(path)) is { } problem) errors.Add(path.Length == 0 ? "$" : path, problem);
                break;
        }
    }

    /// <summary>Why a string is refused, or null when it is fine.</summary>
    public static string? Problem(string s) => Problem(s, multiline: false);

    /// <summary>Why a string is refused, or null when it is fine; <paramref name="multiline"/> lets line breaks and tabs through.</summary>
    public static string? Problem(string s, bool multiline)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\0') return "must not contain NUL characters.";
            if (multiline && c is '\n' or '\r' or '\t') continue;
            if (char.IsControl(c)) return $"must not contain control characters (U+{(int)c:X4}).";
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c)) return "must not contain lone surrogates.";
            if (c == '\uFFFD') return "must not contain U+FFFD (text that was not valid UTF-8).";
        }
        return null;
    }
}
