using System.Diagnostics;
using System.Text.Json;
using HpSearch.Benchmarks.Dashboard;
using Npgsql;

namespace HpSearch.Benchmarks.Scale;

/// <summary>
/// <c>bench scale-read [--sizes 1000,100000] [--epochs 20] [--clients 1,10,100] [--requests 300] [--skip-cold] [--skip-export] [--before-api DLL]</c>:
/// seeds one experiment per size with <see cref="ScaleSeed"/>, runs the API as a process (<see cref="ApiProcess"/>) and
/// prints one JSON line per read, size and concurrency: p50/p99 loopback latency of the experiment list, one experiment,
/// a trials page sorted by value, the curves of the top 50, importance (cold: the first read of a fresh process; cached),
/// and a CSV export (time to first byte and total). With <c>--before-api</c> the same reads of an older build run on the
/// same data first, as the peer (what the old build lacks, e.g. <c>?top=</c>, it ignores: the URL is printed).
/// </summary>
public static class ReadLatency
{
    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = List(args, "--sizes", [1000, 100_000]);
        var clients = List(args, "--clients", [1, 10, 100]);
        var epochs = ScaleBenchmark.Arg(args, "--epochs", 20);
        var requests = ScaleBenchmark.Arg(args, "--requests", 300);
        var before = Value(args, "--before-api");
        // At 100,000 trials a cold importance is minutes of forest fitting (the same Domain code in both builds), and the
        // cached read needs one: --skip-cold leaves importance out.
        var cold = !args.Contains("--skip-cold");
        // A 100,000-trial export is tens of seconds per request in either build: --skip-export leaves it out.
        var export = !args.Contains("--skip-export");
        var admin = Environment.GetEnvironmentVariable("HPSEARCH_BENCH_PG")
            ?? throw new InvalidOperationException("HPSEARCH_BENCH_PG is not set: run ./hpsearch bench scale-read.");
        Console.WriteLine(JsonSerializer.Serialize(new { bench = "scale-read", cpu = ScaleBenchmark.CpuModel(), cores = Environment.ProcessorCount, sizes, clients, epochs }));
        foreach (var size in sizes)
        {
            var dbName = $"hpsearch_benchread_{Guid.NewGuid():N}"[..32];
            await DashboardBenchmark.ExecAsync(admin, $"CREATE DATABASE \"{dbName}\"");
            // A long command timeout: the seeder's COPY of 2,000,000 epoch rows completes with the change feed's statement
            // trigger grouping them (one resync notification), which takes longer than the default 30 s on a loaded machine.
            var cs = new NpgsqlConnectionStringBuilder(admin) { Database = dbName, MaxPoolSize = 100, CommandTimeout = 1200 }.ConnectionString;
            try
            {
                var seedClock = Stopwatch.StartNew();
                var id = await ScaleSeed.SeedAsync(cs, size, epochs, seed: 7);
                await DashboardBenchmark.ExecAsync(cs, "VACUUM ANALYZE");
                Console.WriteLine(JsonSerializer.Serialize(new { seeded = size, epochRows = (long)size * epochs, seconds = Math.Round(seedClock.Elapsed.TotalSeconds, 1) }));
                if (before is not null) await MeasureAsync("before", before, cs, id, size, clients, requests, cold, export);
                await MeasureAsync("after", ApiProcess.DefaultDll(), cs, id, size, clients, requests, cold, export);
            }
            finally
            {
                NpgsqlConnection.ClearAllPools();
                await DashboardBenchmark.ExecAsync(admin, $"DROP DATABASE IF EXISTS \"{dbName}\" WITH (FORCE)");
            }
        }
        return 0;
    }

    private static async Task MeasureAsync(string build, string dll, string cs, Guid id, int size, List<int> clients, int requests, bool cold,
        bool export)
    {
        // Importance, cold: the first read of a process that never computed it (two fresh processes).
        for (var run = 0; run < (cold ? 2 : 0); run++)
        {
            await using var fresh = await ApiProcess.StartAsync(dll, cs);
            using var client = fresh.CreateClient();
            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync($"/api/experiments/{id}/importance");
            var status = (int)response.StatusCode;
            await response.Content.ReadAsByteArrayAsync();
            Print(build, size, "importance-cold", $"/api/experiments/{id}/importance", 1, [clock.Elapsed.TotalMilliseconds], status == 200 ? 0 : 1);
        }

        await using var api = await ApiProcess.StartAsync(dll, cs);
        using var http = api.CreateClient();
        (string Name, string Url)[] reads =
        [
            ("experiment-list", "/api/experiments"),
            ("experiment", $"/api/experiments/{id}"),
            ("trials-page-by-value", $"/api/experiments/{id}/trials?sort=value&pageSize=50"),
            ("curves-top-50", $"/api/experiments/{id}/curves?top=50"),
            ("importance-cached", $"/api/experiments/{id}/importance"),
        ];
        foreach (var (name, url) in reads.Where(r => cold || !r.Name.StartsWith("importance", StringComparison.Ordinal)))
        {
            await http.GetByteArrayAsync(url); // warm: JIT, plans, and importance's one computation
            foreach (var c in clients)
            {
                var (latencies, errors) = await LoadAsync(http, url, c, Math.Max(requests, c * 3), TimeSpan.FromSeconds(60));
                Print(build, size, name, url, c, latencies, errors);
            }
        }
        // Export: time to the first byte and to the last, at 1 and 10 clients (a 100k-trial export is seconds of work each).
        foreach (var c in clients.Where(c => export && c <= 10))
        {
            var firstByte = new List<double>();
            var total = new List<double>();
            var errors = 0;
            var rounds = size > 10_000 ? 1 : 3;
            await Task.WhenAll(Enumerable.Range(0, c).Select(async _ =>
            {
                for (var r = 0; r < rounds; r++)
                {
                    var clock = Stopwatch.StartNew();
                    using var response = await http.GetAsync($"/api/experiments/{id}/export?format=csv", HttpCompletionOption.ResponseHeadersRead);
                    await using var body = await response.Content.ReadAsStreamAsync();
                    var buffer = new byte[64 * 1024];
                    var read = await body.ReadAsync(buffer);
                    var first = clock.Elapsed.TotalMilliseconds;
                    while (read > 0) read = await body.ReadAsync(buffer);
                    lock (total)
                    {
                        if (!response.IsSuccessStatusCode) errors++;
                        firstByte.Add(first);
                        total.Add(clock.Elapsed.TotalMilliseconds);
                    }
                }
            }));
            Print(build, size, "export-csv-first-byte", $"/api/experiments/{id}/export?format=csv", c, firstByte, errors);
            Print(build, size, "export-csv-total", $"/api/experiments/{id}/export?format=csv", c, total, errors);
        }
    }

    /// <summary><paramref name="clients"/> loops sharing <paramref name="requests"/> GETs (or until <paramref name="limit"/>).</summary>
    private static async Task<(List<double> Latencies, int Errors)> LoadAsync(HttpClient http, string url, int clients, int requests, TimeSpan limit)
    {
        var latencies = new List<double>(requests);
        var errors = 0;
        var left = requests;
        var deadline = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (Interlocked.Decrement(ref left) >= 0 && deadline.Elapsed < limit)
            {
                var clock = Stopwatch.StartNew();
                using var response = await http.GetAsync(url);
                await response.Content.ReadAsByteArrayAsync();
                var ms = clock.Elapsed.TotalMilliseconds;
                lock (latencies)
                {
                    latencies.Add(ms);
                    if (!response.IsSuccessStatusCode) errors++;
                }
            }
        }));
        return (latencies, errors);
    }

    private static void Print(string build, int size, string read, string url, int clients, List<double> ms, int errors)
    {
        ms.Sort();
        double P(double q) => ms.Count == 0 ? double.NaN : Math.Round(ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(q * ms.Count) - 1)], 1);
        Console.WriteLine(JsonSerializer.Serialize(new { build, trials = size, read, url = url.Split('?') is [_, var q] ? "?" + q : "", clients, n = ms.Count, p50Ms = P(0.5), p99Ms = P(0.99), errors }));
    }

    internal static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static List<int> List(string[] args, string name, List<int> fallback) =>
        Value(args, name) is { } text ? text.Split(',').Select(int.Parse).ToList() : fallback;
}
