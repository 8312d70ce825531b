using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace HpSearch.Api;

/// <summary>ProblemDetails documents (RFC 9457) for the errors the endpoints return themselves.</summary>
public static class Problems
{
    public static ProblemDetails NotFound(string detail) => new()
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Not found",
        Detail = detail,
        Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
    };

    public static ProblemDetails Conflict(string detail) => new()
    {
        Status = StatusCodes.Status409Conflict,
        Title = "Conflict",
        Detail = detail,
        Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10",
    };

    /// <summary>415: the write endpoints take application/json only.</summary>
    public static ProblemHttpResult UnsupportedMediaType() => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status415UnsupportedMediaType,
        Title = "Unsupported media type",
        Detail = "send the body as JSON with Content-Type: application/json.",
        Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16",
    });

    public static HttpValidationProblemDetails Validation(IDictionary<string, string[]> errors) => new(errors)
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "One or more validation errors occurred.",
        Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
    };

    public static HttpValidationProblemDetails Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });
}
