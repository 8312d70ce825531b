using System.Globalization;

namespace HpSearch.Api.Experiments;

/// <summary>Reads page and pageSize query values as text, so 1e19 or "ten" is a 400 naming the parameter, never a binding failure.</summary>
public static class Paging
{
    public static int Read(string? text, string name, int fallback, Dictionary<string, string[]> errors)
    {
        if (text is null) return fallback;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
        errors[name] = ["must be a whole number within range."];
        return fallback;
    }
}
