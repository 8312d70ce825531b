using HpSearch.Persistence;
using HpSearch.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HpSearch.Persistence.Tests;

/// <summary>The hand-written migrations build the schema the model expects, on the real PostgreSQL.</summary>
public sealed class MigrationsTests
{
    internal static HpSearchDb Open(TestDatabase database)
    {
        var options = new DbContextOptionsBuilder<HpSearchDb>();
        PersistenceExtensions.Configure(options, database.ConnectionString);
        return new HpSearchDb(options.Options);
    }

    [Fact]
    public async Task Migrate_CreatesEveryTable_AndIsIdempotent()
    {
        await using var database = await TestDatabase.CreateAsync("mig");
        await using (var db = Open(database))
        {
            await db.MigrateAsync(CancellationToken.None);
            await db.MigrateAsync(CancellationToken.None);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(0, await db.Experiments.CountAsync());
            Assert.Equal(0, await db.Trials.CountAsync());
            Assert.Equal(0, await db.TrialEpochs.CountAsync());
            Assert.Equal(0, await db.Checkpoints.CountAsync());
            Assert.Equal(0, await db.Workers.CountAsync());
        }
    }

    [Fact]
    public async Task Migrate_CreatesTheIndexesTheDashboardQueriesUse()
    {
        await using var database = await TestDatabase.CreateAsync("idx");
        await using (var db = Open(database)) await db.MigrateAsync(CancellationToken.None);
        await using var conn = new NpgsqlConnection(database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'", conn);
        var defs = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) defs.Add(reader.GetString(0));
        Assert.Contains(defs, d => d.Contains("ON public.trials USING btree (experiment_id, status)"));
        Assert.Contains(defs, d => d.Contains("ON public.trials USING btree (experiment_id, number)") && d.Contains("UNIQUE"));
        Assert.Contains(defs, d => d.Contains("ON public.trial_epochs USING btree (trial_id, epoch)"));
        Assert.Contains(defs, d => d.Contains("ON public.experiments USING btree (created_at DESC)"));
    }

    [Fact]
    public async Task SnakeCase_MapsPascalCasePropertyNames()
    {
        Assert.Equal("experiment_id", HpSearchDb.SnakeCase("ExperimentId"));
        Assert.Equal("val_accuracy", HpSearchDb.SnakeCase("ValAccuracy"));
        Assert.Equal("lr", HpSearchDb.SnakeCase("Lr"));
        await Task.CompletedTask;
    }
}
