using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HpSearch.Testing.Hosting;

/// <summary>The real API on a real loopback port (Kestrel) over a fresh PostgreSQL database, for clients that run outside
/// the test process (the linter, the command line) or speak HTTP like them (the typed client).</summary>
public sealed class KestrelApi : IAsyncDisposable
{
    public const string ApiKey = "kestrel-test-key-0123456789";

    private sealed class Factory(TestDatabase database, bool workers, IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:HpSearch", database.ConnectionString);
            builder.UseSetting("HpSearch:ApiKey", ApiKey);
            builder.UseSetting("HpSearch:DataDirectory", Path.Combine(Path.GetTempPath(), "hpsearch-tests", "data"));
            builder.UseSetting("Workers:Enabled", workers ? "true" : "false");
            builder.UseSetting("Workers:Slots", "2");
            builder.UseSetting("Workers:NodeName", $"kestrel-{Guid.NewGuid():N}"[..16]);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (k, v) in settings) builder.UseSetting(k, v);
        }
    }

    private readonly TestDatabase _database;
    private readonly Factory _factory;

    private KestrelApi(TestDatabase database, Factory factory, string baseUrl)
    {
        _database = database;
        _factory = factory;
        BaseUrl = baseUrl;
    }

    /// <summary>http://127.0.0.1:PORT, no trailing slash.</summary>
    public string BaseUrl { get; }

    public IServiceProvider Services => _factory.Services;

    public static async Task<KestrelApi> StartAsync(bool workers = false, IReadOnlyDictionary<string, string>? settings = null)
    {
        var database = await TestDatabase.CreateAsync("kestrel");
        var factory = new Factory(database, workers, settings ?? new Dictionary<string, string>());
        try
        {
            factory.UseKestrel(0);
            factory.StartServer();
            var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var api = new KestrelApi(database, factory, address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1").Replace("localhost", "127.0.0.1").TrimEnd('/'));
            await api.WaitReadyAsync();
            return api;
        }
        catch
        {
            await factory.DisposeAsync();
            await database.DisposeAsync();
            throw;
        }
    }

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the API at {BaseUrl} did not become ready");
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }
}
