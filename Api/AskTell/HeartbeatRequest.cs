using System.Text.Json;
using HpSearch.Domain.Validation;

namespace HpSearch.Api.AskTell;

/// <summary>Body of <c>POST /api/trials/{id}/heartbeat</c>: renews the lease of a long epoch.</summary>
public sealed record HeartbeatRequest(int Attempt)
{
    public static HeartbeatRequest? TryParse(JsonElement json, SpecErrors errors)
    {
        if (!AskTellRead.IsObject(json, errors)) return null;
        JsonRead.RejectUnknown(json, "", errors, "attempt");
        var attempt = AskTellRead.Attempt(json, errors);
        return errors.IsEmpty ? new HeartbeatRequest(attempt!.Value) : null;
    }
}
