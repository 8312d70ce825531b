extern alias api;
using System.Diagnostics;
using System.Text.Json;
using HpSearch.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;

namespace HpSearch.Benchmarks.Dashboard;

/// <summary>
/// <c>bench dashboard [--trials 2000] [--epochs 20] [--runs 5] [--asha]</c>: seeds a large experiment in PostgreSQL
/// (env HPSEARCH_BENCH_PG, an admin connection string), starts the real API on a real port, opens the experiment page
/// in headless Debian Chromium (fresh context each run: cold cache) and prints JSON with the time from navigation
/// start to a drawn page (header, history, learning curves and trials table painted; the page's
/// <c>hpsearch:experiment-drawn</c> mark).
/// </summary>
public static class DashboardBenchmark
{
    private sealed class Factory(string connectionString, string dbName) : WebApplicationFactory<api::Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:HpSearch", connectionString);
            builder.UseSetting("HpSearch:ApiKey", "bench-key-0123456789");
            builder.UseSetting("HpSearch:DataDirectory", Path.Combine(Path.GetTempPath(), "hpsearch-bench", dbName));
            builder.UseSetting("Workers:Enabled", "false");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseEnvironment("Production");
        }
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var trials = Arg(args, "--trials", 2000);
        var epochs = Arg(args, "--epochs", 20);
        var runs = Arg(args, "--runs", 5);
        var asha = args.Contains("--asha");
        var admin = Environment.GetEnvironmentVariable("HPSEARCH_BENCH_PG")
            ?? throw new InvalidOperationException("HPSEARCH_BENCH_PG is not set: run ./hpsearch bench dashboard.");
        var dbName = $"hpsearch_benchdash_{Guid.NewGuid():N}"[..32];
        await ExecAsync(admin, $"CREATE DATABASE \"{dbName}\"");
        var cs = new NpgsqlConnectionStringBuilder(admin) { Database = dbName }.ConnectionString;
        try
        {
            // A console program has no WebApplicationFactoryContentRoot attribute: point the factory at Api/ (wwwroot).
            Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_HPSEARCH_API", Path.Combine(RepoRoot(), "Api"));
            await using var factory = new Factory(cs, dbName);
            factory.UseKestrel(0);
            factory.StartServer();
            var url = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
                .Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1").TrimEnd('/');
            await WaitReadyAsync(url);

            var seedClock = Stopwatch.StartNew();
            Guid id;
            await using (var db = factory.Services.GetRequiredService<IDbContextFactory<HpSearchDb>>().CreateDbContext())
                id = await DashboardSeed.WriteAsync(db, cs, trials, epochs, asha);
            var seedMs = seedClock.ElapsedMilliseconds;

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Environment.GetEnvironmentVariable("HPSEARCH_CHROMIUM") ?? "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
            });
            var results = new List<Run>();
            for (var i = 0; i <= runs; i++) // run 0 warms the server (JIT, EF query compilation) and is not counted
            {
                var r = await MeasureAsync(browser, $"{url}/#/experiments/{id}");
                if (i > 0) results.Add(r);
            }
            var drawn = results.Select(r => r.DrawnMs).Order().ToList();
            var render = results.Select(r => r.RenderMs).Order().ToList();
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                benchmark = "dashboard-experiment-page",
                trials, epochs, asha,
                seedMs,
                runs = results,
                drawnMsMedian = drawn[drawn.Count / 2],
                drawnMsMax = drawn[^1],
                renderMsMedian = render[render.Count / 2],
                loadAverage = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null,
                machine = new { Environment.ProcessorCount, os = Environment.OSVersion.VersionString },
            }, new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecAsync(admin, $"DROP DATABASE IF EXISTS \"{dbName}\" WITH (FORCE)");
        }
    }

    /// <summary>One page load: drawn (navigation start to painted), data (all API answers in), render (drawn − data).</summary>
    public sealed record Run(double DrawnMs, double DataMs, double RenderMs, double DomContentLoadedMs, Dictionary<string, double> ApiMs, Dictionary<string, long> ApiBytes);

    private static async Task<Run> MeasureAsync(IBrowser browser, string url)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);
        await page.WaitForFunctionAsync("() => performance.getEntriesByName('hpsearch:experiment-drawn').length > 0", null, new() { Timeout = 60_000 });
        var json = await page.EvaluateAsync<JsonElement>("""
            () => ({
              drawn: performance.getEntriesByName('hpsearch:experiment-drawn')[0].startTime,
              data: performance.getEntriesByName('hpsearch:experiment-data')[0].startTime,
              dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
              api: performance.getEntriesByType('resource').filter(r => r.name.includes('/api/'))
                .map(r => ({ name: new URL(r.name).pathname.replace(/[0-9a-f-]{36}/g, '{id}'), ms: r.duration, bytes: r.encodedBodySize }))
            })
            """);
        // Let the page's later requests (importance: a forest fit on the server) finish before the next run starts.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 60_000 });
        var apiMs = new Dictionary<string, double>();
        var apiBytes = new Dictionary<string, long>();
        foreach (var r in json.GetProperty("api").EnumerateArray())
        {
            var name = r.GetProperty("name").GetString()!;
            apiMs.TryAdd(name, Math.Round(r.GetProperty("ms").GetDouble()));
            apiBytes.TryAdd(name, (long)r.GetProperty("bytes").GetDouble());
        }
        var drawn = json.GetProperty("drawn").GetDouble();
        return new Run(Math.Round(drawn), Math.Round(json.GetProperty("data").GetDouble()), Math.Round(drawn - json.GetProperty("data").GetDouble()),
            Math.Round(json.GetProperty("dcl").GetDouble()), apiMs, apiBytes);
    }

    internal static async Task WaitReadyAsync(string url)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        for (var i = 0; i < 240; i++)
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
        throw new TimeoutException("the API did not become ready");
    }

    internal static async Task ExecAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HpSearch.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("HpSearch.sln not found above " + AppContext.BaseDirectory);
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }
}
