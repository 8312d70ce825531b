namespace HpSearch.Api.Keys;

/// <summary>An API key as listed: never the key itself.</summary>
public sealed record ApiKeyDto(Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A key just created: the only time the key is shown.</summary>
public sealed record CreatedApiKeyDto(Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, string Key);

/// <summary>The body of POST /api/keys as the OpenAPI document shows it (the endpoint reads the raw JSON).</summary>
/// <param name="Scopes">One to three of read, write, admin.</param>
public sealed record CreateKeyBody(string Name, IReadOnlyList<string> Scopes);
