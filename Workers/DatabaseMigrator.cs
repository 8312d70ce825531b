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
        await db.MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
