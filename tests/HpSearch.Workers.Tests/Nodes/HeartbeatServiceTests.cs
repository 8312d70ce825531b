using HpSearch.Persistence;
using HpSearch.Testing;
using HpSearch.Workers.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace HpSearch.Workers.Tests.Nodes;

/// <summary>The heartbeat file a worker container's HEALTHCHECK reads (Workers/Dockerfile): touched only after a heartbeat reached PostgreSQL.</summary>
public sealed class HeartbeatServiceTests
{
    [Fact]
    public async Task Beat_WritesTheHeartbeatFile_AfterTheRowReachedTheDatabase()
    {
        await using var database = await TestDatabase.CreateAsync("beat");
        await using var services = Services(database.ConnectionString);
        var factory = services.GetRequiredService<IDbContextFactory<HpSearchDb>>();
        await using (var db = await factory.CreateDbContextAsync())
            await db.MigrateAsync(CancellationToken.None);
        var file = Path.Combine(Path.GetTempPath(), $"hpsearch-beat-{Guid.NewGuid():N}");
        var options = new WorkerOptions { NodeName = "beat-test", HeartbeatFile = file };
        var heartbeat = new HeartbeatService(factory, new SlotRegistry(options), options, TimeProvider.System,
            NullLogger<HeartbeatService>.Instance);
        var started = DateTimeOffset.UtcNow;
        try
        {
            await heartbeat.StartAsync(CancellationToken.None);
            await UntilAsync(() => File.Exists(file), TimeSpan.FromSeconds(20));
            await heartbeat.StopAsync(CancellationToken.None);

            var written = DateTimeOffset.Parse(await File.ReadAllTextAsync(file), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(written, started, heartbeat.LastWritten!.Value);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Beat_LeavesNoHeartbeatFile_WhenPostgreSqlDoesNotAnswer()
    {
        // A port nothing listens on: every beat fails, so the container must turn unhealthy.
        await using var services = Services("Host=127.0.0.1;Port=1;Username=postgres;Database=none;Timeout=1");
        var factory = services.GetRequiredService<IDbContextFactory<HpSearchDb>>();
        var file = Path.Combine(Path.GetTempPath(), $"hpsearch-beat-{Guid.NewGuid():N}");
        var options = new WorkerOptions { NodeName = "beat-down", HeartbeatFile = file };
        var heartbeat = new HeartbeatService(factory, new SlotRegistry(options), options, TimeProvider.System,
            NullLogger<HeartbeatService>.Instance);

        await heartbeat.StartAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(5));
        await heartbeat.StopAsync(CancellationToken.None);

        Assert.Null(heartbeat.LastWritten);
        Assert.False(File.Exists(file));
    }

    private static ServiceProvider Services(string connectionString) =>
        new ServiceCollection().AddPersistence(connectionString).BuildServiceProvider();

    private static async Task UntilAsync(Func<bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {limit.TotalSeconds} s");
            await Task.Delay(100);
        }
    }
}
