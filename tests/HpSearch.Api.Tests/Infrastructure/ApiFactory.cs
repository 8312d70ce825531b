using HpSearch.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HpSearch.Api.Tests.Infrastructure;

/// <summary>The real API (with its embedded worker pool and Quartz) on its own fresh PostgreSQL database.</summary>
public sealed class ApiFactory(TestDatabase database, int slots = 2, bool workers = true) : WebApplicationFactory<Program>
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
        builder.UseSetting("Workers:SchedulerName", $"hps-{Database.Name}");
        builder.UseSetting("Workers:IdleWaitMilliseconds", "1000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
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
        await Database.DisposeAsync();
    }

    public static async Task<ApiFactory> StartAsync(int slots = 2, bool workers = true)
    {
        var factory = new ApiFactory(await TestDatabase.CreateAsync("api"), slots, workers);
        _ = factory.Server; // starts the host: migrations applied, scheduler running
        return factory;
    }
}
