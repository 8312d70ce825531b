using Npgsql;

namespace HpSearch.Testing;

/// <summary>
/// A fresh database on the test PostgreSQL cluster that <c>./hpsearch test</c> starts (env HPSEARCH_TEST_PG, an admin
/// connection string); dropped on dispose. No in-memory fakes: every integration test runs on the real server.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _admin;

    private TestDatabase(string admin, string name, string connectionString)
    {
        _admin = admin;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("HPSEARCH_TEST_PG")
        ?? throw new InvalidOperationException(
            "HPSEARCH_TEST_PG is not set: run the tests with ./hpsearch test, which starts a private PostgreSQL for them.");

    /// <summary>A fresh database on the shared test cluster, or on the cluster of <paramref name="admin"/> (a private one).</summary>
    public static async Task<TestDatabase> CreateAsync(string prefix = "t", string? admin = null)
    {
        admin ??= AdminConnectionString;
        var name = $"hpsearch_{prefix}_{Guid.NewGuid():N}"[..40];
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 40 }.ConnectionString;
        return new TestDatabase(admin, name, cs);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(_admin);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
