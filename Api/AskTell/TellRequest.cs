using System.Text.Json;
using HpSearch.Domain.Validation;

namespace HpSearch.Api.AskTell;

/// <summary>Body of <c>POST /api/trials/{id}/tell</c>: the outcome of the attempt the client holds.</summary>
/// <param name="Status"><c>completed</c>, <c>failed</c> (give <paramref name="Error"/>) or <c>diverged</c> (the loss became NaN or infinite).</param>
public sealed record TellRequest(int Attempt, string Status, string? Error)
{
    public static readonly IReadOnlyList<string> Outcomes = ["completed", "failed", "diverged"];

    /// <summary>Longest kept error text.</summary>
    public const int MaxErrorLength = 4000;

    public static TellRequest? TryParse(JsonElement json, SpecErrors errors)
    {
        if (!AskTellRead.IsObject(json, errors)) return null;
        JsonRead.RejectUnknown(json, "", errors, "attempt", "status", "error");
        var attempt = AskTellRead.Attempt(json, errors);
        var status = JsonRead.String(json, "status", "status", errors, required: true);
        if (status is not null && !Outcomes.Contains(status))
            errors.Add("status", $"must be one of {string.Join(", ", Outcomes)} (a trial is pruned by the service, in its answer to a report).");
        var error = JsonRead.String(json, "error", "error", errors);
        if (error is { Length: > MaxErrorLength }) errors.Add("error", $"must be at most {MaxErrorLength} characters.");
        return errors.IsEmpty ? new TellRequest(attempt!.Value, status!, error) : null;
    }
}
