using System.Text.Json;
using HpSearch.Domain.Validation;

namespace HpSearch.Api.AskTell;

/// <summary>Body of <c>POST /api/experiments/{id}/ask</c>.</summary>
/// <param name="ClientHost">The client's host name, stored on the trial and shown in the dashboard (1 to 200 printable characters).</param>
public sealed record AskRequest(string? ClientHost)
{
    public static AskRequest? TryParse(JsonElement json, SpecErrors errors)
    {
        if (!AskTellRead.IsObject(json, errors)) return null;
        JsonRead.RejectUnknown(json, "", errors, "clientHost");
        var host = JsonRead.String(json, "clientHost", "clientHost", errors);
        if (host is not null && (host.Trim().Length == 0 || host.Length > 200))
            errors.Add("clientHost", "must be 1 to 200 characters.");
        return errors.IsEmpty ? new AskRequest(host?.Trim()) : null;
    }
}
