using HpSearch.Benchmarks.Scale;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence.Tests.Experiments;
using HpSearch.Persistence.Tests.Model;
using HpSearch.Testing;
using Npgsql;

namespace HpSearch.Persistence.Tests.Scale;

/// <summary>The seeder's bulk path (triggers off, secondary indexes rebuilt) ends where the service's triggers would have left
/// the database: the same indexes as a migrated database, counters and order statistics equal to a recount, no row without its
/// parent.</summary>
public sealed class ScaleSeedTests
{
    private static async Task<List<string>> ReadAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        var rows = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        return rows;
    }

    private const string Indexes = "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname";

    [Fact]
    public async Task BulkSeed_LeavesTheMigratedIndexes_ExactCountersAndOrderStatistics_AndNoOrphanRows()
    {
        await using var migrated = await TestDatabase.CreateAsync("seedref");
        await using (var db = MigrationsTests.Open(migrated)) await db.MigrateAsync(CancellationToken.None);
        await using var database = await TestDatabase.CreateAsync("seed");

        await ScaleSeed.SeedAsync(database.ConnectionString, 300, 4, seed: 5, ExperimentStatus.Completed, "first");
        await ScaleSeed.SeedAsync(database.ConnectionString, 40, 4, seed: 6, ExperimentStatus.Running, "second"); // indexes kept

        Assert.Equal(await ReadAsync(migrated.ConnectionString, Indexes), await ReadAsync(database.ConnectionString, Indexes));
        await ExperimentCountersTests.AssertCountersMatchRecountAsync(database.ConnectionString, "two bulk seeds");
        await using (var conn = new NpgsqlConnection(database.ConnectionString))
        {
            await conn.OpenAsync();
            await EpochOrdersTests.AssertOrdersEqualARecountAsync(conn);
        }
        Assert.Equal(["340", "1360", "1360"], await ReadAsync(database.ConnectionString, """
            SELECT sum(completed) FROM experiment_counters UNION ALL SELECT sum(epochs_trained) FROM experiment_counters
            UNION ALL SELECT count(*) FROM trial_scores s JOIN trial_epochs e USING (trial_id, epoch) JOIN trials t ON t.id = e.trial_id
            """));
        // Triggers are on again after the load: a trial added through the service's path is counted.
        var experiment = await ReadAsync(database.ConnectionString, "SELECT id FROM experiments WHERE name = 'second'");
        await ScaleSeed.AddRunningTrialsAsync(database.ConnectionString, Guid.Parse(experiment[0]), 2, 4);
        await ExperimentCountersTests.AssertCountersMatchRecountAsync(database.ConnectionString, "trials added after the seeds");
    }
}
