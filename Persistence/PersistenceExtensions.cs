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

    /// <summary>Besides what Npgsql calls transient: sessions ended by a server shutdown or restart (admin/crash shutdown).</summary>
    private static readonly string[] TransientCodes = ["57P01", "57P02", "57P03"];

    /// <summary>Transient faults (connection lost, the server restarting, 57P03) are retried with backoff, about 20 s in all:
    /// a database restart is not an error of whatever was writing. Past that the caller's job is retried by Hangfire.</summary>
    public static void Configure(DbContextOptionsBuilder o, string connectionString) =>
        o.UseNpgsql(connectionString, n => n.EnableRetryOnFailure(6, TimeSpan.FromSeconds(5), TransientCodes))
            // The migrations are hand-written SQL without a model snapshot.
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

    /// <summary>How long a session may sit idle inside an open transaction before PostgreSQL ends it. Our transactions last
    /// milliseconds; one left open by a paused node (SIGSTOP, a long GC, a partition) would otherwise keep its row locks
    /// and stall the node that took its trial over. Its writes then fail, and its attempt is superseded anyway.</summary>
    public const int IdleInTransactionTimeoutMilliseconds = 15_000;

    /// <summary>The service's connection string with its session limits (<see cref="IdleInTransactionTimeoutMilliseconds"/>)
    /// added to whatever server options it already carries.</summary>
    public static string WithSessionLimits(string connectionString)
    {
        var b = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (b.Options?.Contains("idle_in_transaction_session_timeout", StringComparison.Ordinal) == true) return connectionString;
        b.Options = $"{b.Options} -c idle_in_transaction_session_timeout={IdleInTransactionTimeoutMilliseconds}".Trim();
        return b.ConnectionString;
    }

    /// <summary>Applies every pending migration (EF Core takes a database lock, so concurrent starters are safe).</summary>
    public static Task MigrateAsync(this HpSearchDb db, CancellationToken cancellationToken) =>
        db.Database.MigrateAsync(cancellationToken);
}
