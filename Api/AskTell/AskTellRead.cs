using System.Text.Json;
using HpSearch.Domain.Validation;

namespace HpSearch.Api.AskTell;

/// <summary>The reads every ask/tell body shares.</summary>
internal static class AskTellRead
{
    public static bool IsObject(JsonElement json, SpecErrors errors)
    {
        if (json.ValueKind == JsonValueKind.Object) return true;
        errors.Add("$", "the body must be a JSON object.");
        return false;
    }

    public static int? Attempt(JsonElement json, SpecErrors errors)
    {
        var attempt = JsonRead.Int(json, "attempt", "attempt", errors, required: true);
        if (attempt is < 1) errors.Add("attempt", "must be at least 1 (the attempt the ask answer gave).");
        return attempt;
    }
}
