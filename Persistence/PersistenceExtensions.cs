using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace HpSearch.Persistence;

public static class PersistenceExtensions
{
    /// <summary>Registers <see cref="HpSearchDb"/> (pooled) on PostgreSQL.</summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services, string connectionString)
    {
        services.AddPooledDbContextFactory<HpSearchDb>(o => Configure(o, connectionString));
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<HpSearchDb>>().CreateDbContext());
        return services;
    }

    public static void Configure(DbContextOptionsBuilder o, string connectionString) =>
        o.UseNpgsql(connectionString)
            // The migrations are hand-written SQL without a model snapshot.
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

    /// <summary>Applies every pending migration (EF Core takes a database lock, so concurrent starters are safe).</summary>
    public static Task MigrateAsync(this HpSearchDb db, CancellationToken cancellationToken) =>
        db.Database.MigrateAsync(cancellationToken);
}
