using System.Net;

namespace HpSearch.Client;

/// <summary>The service answered with an error: its status and ProblemDetails (title, detail and, for a 400, the bad fields).</summary>
public sealed class HpSearchApiException(HttpStatusCode status, string title, string? detail, IReadOnlyDictionary<string, string[]> errors)
    : Exception(Describe(status, title, detail, errors))
{
    public HttpStatusCode Status { get; } = status;
    public string Title { get; } = title;
    public string? Detail { get; } = detail;

    /// <summary>Bad fields by JSON path (<c>searchSpace.lr.low</c>), each with its messages.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    private static string Describe(HttpStatusCode status, string title, string? detail, IReadOnlyDictionary<string, string[]> errors)
    {
        var text = $"{(int)status} {title}" + (string.IsNullOrEmpty(detail) ? "" : $": {detail}");
        return errors.Count == 0 ? text : text + Environment.NewLine + string.Join(Environment.NewLine,
            errors.SelectMany(e => e.Value.Select(m => $"  {e.Key}: {m}")));
    }
}
