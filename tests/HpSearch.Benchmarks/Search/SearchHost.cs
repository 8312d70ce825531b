extern alias api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HpSearch.Benchmarks.Search;

/// <summary>The real API with its embedded worker pool and Hangfire, on its own database, called through the
/// in-process HTTP pipeline (no socket: the bench measures training and scheduling, not loopback).</summary>
internal sealed class SearchHost(string connectionString, SearchBenchOptions o) : WebApplicationFactory<api::Program>
{
    public const string ApiKey = "bench-key-0123456789";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:HpSearch", connectionString);
        builder.UseSetting("HpSearch:ApiKey", ApiKey);
        // The data folder's datasets/ is the dataset cache, shared by every bench run on this machine.
        builder.UseSetting("HpSearch:DataDirectory", Path.GetDirectoryName(o.Cache.TrimEnd('/'))!);
        builder.UseSetting("Workers:Enabled", "true");
        builder.UseSetting("Workers:Slots", $"{o.Slots}");
        builder.UseSetting("Workers:ThreadsPerSlot", $"{o.Threads}");
        builder.UseSetting("Workers:NodeName", "bench-search");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseEnvironment("Production");
    }

    public HttpClient CreateAuthorizedClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        client.Timeout = TimeSpan.FromMinutes(5);
        return client;
    }
}
