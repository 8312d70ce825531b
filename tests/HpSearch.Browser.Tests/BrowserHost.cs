using HpSearch.Persistence;
using HpSearch.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace HpSearch.Browser.Tests;

/// <summary>
/// The real API on a real port (Kestrel) over a fresh PostgreSQL database, seeded with a finished and a running
/// experiment, and one headless Debian Chromium shared by the tests. The embedded worker pool is off: the
/// controller still runs (submit and cancel go through it), but nothing trains behind the tests' back.
/// </summary>
public class BrowserHost : IAsyncLifetime
{
    public const string ApiKey = "browser-test-key-0123456789";

    private sealed class Factory(TestDatabase database) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:HpSearch", database.ConnectionString);
            builder.UseSetting("HpSearch:ApiKey", ApiKey);
            builder.UseSetting("HpSearch:DataDirectory", Path.Combine(Path.GetTempPath(), "hpsearch-browser-tests", database.Name));
            builder.UseSetting("Workers:Enabled", "false");
            builder.UseSetting("Workers:NodeName", $"browser-{Guid.NewGuid():N}"[..16]);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }
    }

    private TestDatabase _database = null!;
    private Factory _factory = null!;
    private IPlaywright _playwright = null!;

    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public Seed.Seeded Data { get; private set; } = null!;
    public string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync(); // xUnit does not dispose a fixture whose start failed: drop the database here
            throw;
        }
    }

    private async Task StartAsync()
    {
        DashboardBuild.Ensure();
        Directory.CreateDirectory(ScreenshotDirectory);
        _database = await TestDatabase.CreateAsync("browser");
        _factory = new Factory(_database);
        _factory.UseKestrel(0);
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1").TrimEnd('/');
        await WaitReadyAsync();
        await using (var db = NewDb())
            Data = await Seed.WriteAsync(db, FinishedTrials);
        _playwright = await Playwright.CreateAsync();
        Browser = await ChromiumLauncher.LaunchAsync(_playwright);
    }

    /// <summary>Trials of the seeded finished experiment (a host for larger pages seeds more).</summary>
    protected virtual int FinishedTrials => 24;

    public HpSearchDb NewDb() => _factory.Services.GetRequiredService<IDbContextFactory<HpSearchDb>>().CreateDbContext();

    public HttpClient Http() => new() { BaseAddress = new Uri(BaseUrl) };

    /// <summary>The migrations run in a hosted service: wait until the tables exist before seeding.</summary>
    private async Task WaitReadyAsync()
    {
        using var http = Http();
        for (var i = 0; i < 120; i++)
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException("the API did not become ready within 30 s");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserHost>
{
    public const string Name = "browser";
}
