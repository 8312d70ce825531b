extern alias api;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HpSearch.Benchmarks.Dashboard;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HpSearch.Benchmarks.AskTell;

/// <summary>
/// <c>bench asktell [--trials 200] [--epochs 10] [--no-postgres-peer]</c>: one trial's ask + E epoch reports + tell, timed
/// from the client, one trial after another: the service's Python client (hpsearch_client, loopback HTTP to the real API
/// on PostgreSQL from env HPSEARCH_BENCH_PG, median stopping asked on every report) beside Optuna's ask/tell on an RDB
/// storage (SQLite, and PostgreSQL on the same cluster when psycopg2 is installed), MedianPruner asked on every report,
/// all in the same run. Prints JSON with median and p99 per system and the CPU model.
/// </summary>
public static class AskTellBenchmark
{
    private const string ApiKey = "bench-key-0123456789";

    private sealed class Factory(string connectionString, string dataDirectory) : WebApplicationFactory<api::Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:HpSearch", connectionString);
            builder.UseSetting("HpSearch:ApiKey", ApiKey);
            builder.UseSetting("HpSearch:DataDirectory", dataDirectory);
            builder.UseSetting("Workers:Enabled", "false");
            builder.UseSetting("RateLimits:WritesPerMinute", "1000000");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseEnvironment("Production");
        }
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var trials = Arg(args, "--trials", 200);
        var epochs = Arg(args, "--epochs", 10);
        var python = "/usr/bin/python3";
        var admin = Environment.GetEnvironmentVariable("HPSEARCH_BENCH_PG")
            ?? throw new InvalidOperationException("HPSEARCH_BENCH_PG is not set: run ./hpsearch bench asktell.");
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var (serviceDb, optunaDb) = ($"hpsearch_asktell_{suffix}", $"optuna_asktell_{suffix}");
        await DashboardBenchmark.ExecAsync(admin, $"CREATE DATABASE \"{serviceDb}\"");
        await DashboardBenchmark.ExecAsync(admin, $"CREATE DATABASE \"{optunaDb}\"");
        var work = Path.Combine(Path.GetTempPath(), "hpsearch-bench-asktell", suffix);
        Directory.CreateDirectory(work);
        var results = new JsonArray();
        try
        {
            var cs = new NpgsqlConnectionStringBuilder(admin) { Database = serviceDb }.ConnectionString;
            Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_HPSEARCH_API", Path.Combine(DashboardBenchmark.RepoRoot(), "Api"));
            await using (var factory = new Factory(cs, work))
            {
                factory.UseKestrel(0);
                factory.StartServer();
                var url = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
                    .Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1").TrimEnd('/');
                await DashboardBenchmark.WaitReadyAsync(url);
                var experiment = await SubmitAsync(url, trials, epochs);
                var ours = await PeerAsync(python, ["hpsearch", url, ApiKey, experiment], trials, epochs);
                results.Add(Summary("hpsearch ask/tell: Python client (urllib, standard library) → API over loopback HTTP → PostgreSQL", ours));
            }

            var sqlite = await PeerAsync(python, ["optuna", $"sqlite:///{Path.Combine(work, "optuna.db")}"], trials, epochs);
            results.Add(Summary($"optuna {sqlite["version"]} ask/tell, RDBStorage on SQLite (file)", sqlite));
            if (!args.Contains("--no-postgres-peer") && await HasPsycopg2Async(python))
            {
                var b = new NpgsqlConnectionStringBuilder(admin);
                var pg = await PeerAsync(python, ["optuna", $"postgresql+psycopg2://{b.Username}@{b.Host}:{b.Port}/{optunaDb}"], trials, epochs);
                results.Add(Summary($"optuna {pg["version"]} ask/tell, RDBStorage on PostgreSQL (same cluster, psycopg2)", pg));
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await DashboardBenchmark.ExecAsync(admin, $"DROP DATABASE IF EXISTS \"{serviceDb}\" WITH (FORCE)");
            await DashboardBenchmark.ExecAsync(admin, $"DROP DATABASE IF EXISTS \"{optunaDb}\" WITH (FORCE)");
            Directory.Delete(work, recursive: true);
        }

        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim();
        Console.WriteLine(new JsonObject
        {
            ["benchmark"] = "asktell-round-trip",
            ["roundTrip"] = $"ask + {epochs} epoch reports (stopping rule asked each time) + tell, one trial after another",
            ["trials"] = trials,
            ["warmupTrialsDropped"] = Warmup,
            ["cpu"] = cpu,
            ["cores"] = Environment.ProcessorCount,
            ["loadAverage"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null,
            ["results"] = results,
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    /// <summary>Trials at the start of each run left out of the figures (JIT, connection pools, Optuna's schema creation).</summary>
    private const int Warmup = 10;

    private static async Task<string> SubmitAsync(string url, int trials, int epochs)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        // Every trial queued at once (parallelism = maxTrials): the bench times the round trip, not the controller's refill.
        var spec = $$"""
            { "name": "bench-asktell", "trainer": "external",
              "searchSpace": { "x": { "type": "uniform", "low": 0, "high": 1 } },
              "objective": { "metric": "valAccuracy", "direction": "maximize" },
              "strategy": { "kind": "random", "seed": 1 },
              "budget": { "maxTrials": {{trials + Warmup}}, "maxEpochs": {{epochs}}, "parallelism": {{Math.Min(1000, trials + Warmup)}} },
              "earlyStopping": { "kind": "median", "startupTrials": 2, "warmupEpochs": 1 } }
            """;
        var post = await http.PostAsync("/api/experiments", new StringContent(spec, Encoding.UTF8, "application/json"));
        post.EnsureSuccessStatusCode();
        var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        // Wait until the controller queued the trials, so no timed ask waits for it.
        for (var i = 0; i < 400; i++)
        {
            var trialsNow = await http.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials?pageSize=1");
            if (trialsNow.GetProperty("total").GetInt32() >= trials + Warmup) return id;
            await Task.Delay(100);
        }
        throw new TimeoutException("the controller did not queue the trials");
    }

    private static async Task<JsonObject> PeerAsync(string python, string[] target, int trials, int epochs)
    {
        var output = await PythonPeer.RunAsync(python, "asktell_round_trips.py",
            [.. target, "--trials", $"{trials + Warmup}", "--epochs", $"{epochs}"], threads: 1);
        return output.Single();
    }

    private static JsonObject Summary(string system, JsonObject run)
    {
        var samples = run["samplesMs"]!.AsArray().Select(n => n!.GetValue<double>()).Skip(Warmup).Order().ToList();
        double Q(double q) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(q * samples.Count) - 1)];
        return new JsonObject
        {
            ["system"] = system,
            ["roundTrips"] = samples.Count,
            ["medianMs"] = Math.Round(Q(0.5), 2),
            ["p99Ms"] = Math.Round(Q(0.99), 2),
            ["maxMs"] = Math.Round(samples[^1], 2),
            ["pruned"] = run["pruned"]!.GetValue<int>(),
        };
    }

    private static async Task<bool> HasPsycopg2Async(string python)
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(python, ["-c", "import psycopg2"])
        { RedirectStandardError = true, UseShellExecute = false })!;
        await p.WaitForExitAsync();
        return p.ExitCode == 0;
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }
}
