namespace HpSearch.Api.Auth;

/// <summary>Endpoint metadata: the route needs a key with <see cref="Scope"/>. The OpenAPI document reads it to put the
/// <c>X-Api-Key</c> security scheme on the operation; the check itself is the endpoint filter beside it.</summary>
public sealed record ApiKeyRequirement(string Scope);
