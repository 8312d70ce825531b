using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace HpSearch.Persistence;

/// <summary>How dotnet-ef builds the context to generate migrations (no connection is opened for that);
/// <c>HPSEARCH_DB</c> points it at a database for commands that need one (update, script --idempotent).</summary>
public sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<HpSearchDb>
{
    public HpSearchDb CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<HpSearchDb>();
        PersistenceExtensions.Configure(builder, Environment.GetEnvironmentVariable("HPSEARCH_DB") ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=hpsearch");
        return new HpSearchDb(builder.Options);
    }
}
