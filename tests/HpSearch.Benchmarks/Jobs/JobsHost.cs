extern alias api;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HpSearch.Benchmarks.Jobs;

/// <summary>One node of the job bench: the real API with its embedded pool, in this process, on the bench database.</summary>
internal sealed class JobsHost(string connectionString, string node, int slots, IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<api::Program>
{
    public const string ApiKey = "bench-key-0123456789";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:HpSearch", connectionString);
        builder.UseSetting("HpSearch:ApiKey", ApiKey);
        builder.UseSetting("HpSearch:DataDirectory", Path.Combine(Path.GetTempPath(), "hpsearch-bench-jobs"));
        builder.UseSetting("Workers:Enabled", slots > 0 ? "true" : "false");
        builder.UseSetting("Workers:Slots", $"{Math.Max(1, slots)}");
        builder.UseSetting("Workers:NodeName", node);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) builder.UseSetting(k, v);
        builder.UseEnvironment("Production");
    }

    public HttpClient CreateAuthorizedClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }
}
