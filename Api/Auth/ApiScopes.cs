namespace HpSearch.Api.Auth;

/// <summary>What a key may do: <c>read</c> (GET routes when reads need a key), <c>write</c> (submit, cancel, schedules;
/// implies read), <c>admin</c> (create, list and revoke keys; implies both).</summary>
public static class ApiScopes
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Read, Write, Admin];

    /// <summary>True when a key holding <paramref name="granted"/> (comma-separated) may act with <paramref name="needed"/>.</summary>
    public static bool Covers(string granted, string needed)
    {
        var scopes = granted.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return scopes.Contains(Admin) || scopes.Contains(needed) || (needed == Read && scopes.Contains(Write));
    }
}
