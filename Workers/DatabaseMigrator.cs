using HpSearch.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace HpSearch.Workers;

/// <summary>Applies pending migrations before anything else starts (registered first, so hosted services after it see the schema).</summary>
public sealed class DatabaseMigrator(IDbContextFactory<HpSearchDb> dbFactory) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Nodes starting together (API and workers) migrate one at a time: a session advisory lock on the
        // connection EF then uses for the migration itself.
        await db.Database.OpenConnectionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(724201)", cancellationToken);
        try
        {
            // EF reads its history table before creating it and logs that first read as an error on a new database;
            // creating it up front (same shape EF uses) keeps a fresh start's log free of false alarms.
            await db.Database.ExecuteSqlRawAsync("""
                CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
                    "MigrationId" character varying(150) NOT NULL PRIMARY KEY,
                    "ProductVersion" character varying(32) NOT NULL)
                """, cancellationToken);
            await db.MigrateAsync(cancellationToken);
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(724201)", CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
