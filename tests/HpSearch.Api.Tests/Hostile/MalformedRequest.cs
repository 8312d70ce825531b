namespace HpSearch.Api.Tests.Hostile;

/// <summary>One hostile request and what the service must answer: the status and, for a 400, the field named.</summary>
public sealed record MalformedRequest(string Name, string Method, string Url, byte[]? Body, string? ContentType, int Status, string? Field)
{
    public override string ToString() => Name;
}
