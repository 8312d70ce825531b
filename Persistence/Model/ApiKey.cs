namespace HpSearch.Persistence.Model;

/// <summary>An API key created over the API: only its SHA-256 hash is stored (the key is shown once, at creation).
/// <see cref="Scopes"/> is a comma-separated subset of read, write, admin.</summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The key's first characters, to tell keys apart in lists.</summary>
    public required string Prefix { get; set; }
    /// <summary>Lower-case hex SHA-256 of the key.</summary>
    public required string Hash { get; set; }
    public required string Scopes { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
