using HpSearch.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HpSearch.Api.Tests.Infrastructure;

/// <summary>The real API (with its embedded worker pool and Hangfire servers) on its own fresh PostgreSQL database; a second node of the
/// same deployment shares the database (<paramref name="ownsDatabase"/> false) and may take extra settings (pools, trainers).</summary>
public sealed class ApiFactory(TestDatabase database, int slots = 2, bool workers = true,
    IReadOnlyDictionary<string, string>? settings = null, bool ownsDatabase = true) : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-key-0123456789";

    public TestDatabase Database { get; } = database;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "hpsearch-tests", "data");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var node = $"test-{Guid.NewGuid():N}"[..16];
        builder.UseSetting("ConnectionStrings:HpSearch", Database.ConnectionString);
        builder.UseSetting("HpSearch:ApiKey", ApiKey);
        builder.UseSetting("HpSearch:DataDirectory", DataDirectory);
        builder.UseSetting("Workers:Enabled", workers ? "true" : "false");
        builder.UseSetting("Workers:Slots", slots.ToString());
        builder.UseSetting("Workers:NodeName", node);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // The fuzzer and the corpus send thousands of writes from one client; the limits have tests of their own.
        builder.UseSetting("RateLimits:WritesPerMinute", "1000000");
        builder.UseSetting("RateLimits:FailedAuthPerMinute", "1000000");
        // The firing tests use a cron of a few seconds; the interval limit has its own test.
        builder.UseSetting("Schedules:MinIntervalSeconds", "1");
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) builder.UseSetting(k, v);
    }

    public HttpClient CreateAuthorizedClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (ownsDatabase) await Database.DisposeAsync();
    }

    public static async Task<ApiFactory> StartAsync(int slots = 2, bool workers = true, IReadOnlyDictionary<string, string>? settings = null)
    {
        var factory = new ApiFactory(await TestDatabase.CreateAsync("api"), slots, workers, settings);
        _ = factory.Server; // starts the host: migrations applied, scheduler running
        return factory;
    }

    /// <summary>Like <see cref="StartAsync"/>, on a real loopback port (Kestrel) so that other processes (Python clients) can
    /// call it; <see cref="BaseUrl"/> is its address.</summary>
    public static async Task<ApiFactory> StartOnPortAsync(int slots = 2, bool workers = true, IReadOnlyDictionary<string, string>? settings = null)
    {
        var factory = new ApiFactory(await TestDatabase.CreateAsync("api"), slots, workers, settings);
        factory.UseKestrel(0);
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        factory.BaseUrl = addresses.First().Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1").Replace("localhost", "127.0.0.1").TrimEnd('/');
        return factory;
    }

    /// <summary>The loopback address of a factory started with <see cref="StartOnPortAsync"/>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Another node on this factory's database (it does not drop the database when disposed).</summary>
    public ApiFactory StartPeer(int slots = 1, bool workers = true, IReadOnlyDictionary<string, string>? settings = null)
    {
        var peer = new ApiFactory(Database, slots, workers, settings, ownsDatabase: false);
        _ = peer.Server;
        return peer;
    }
}
