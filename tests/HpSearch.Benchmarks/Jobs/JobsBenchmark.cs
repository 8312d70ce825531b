using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HpSearch.Domain.Experiments;
using HpSearch.Benchmarks.Dashboard;
using HpSearch.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HpSearch.Benchmarks.Jobs;

/// <summary>
/// The job layer's own costs, one JSON line each: POST → first trial running on an idle node (median/max of 20), the
/// per-trial overhead with a trainer that does next to no work (1 epoch of 16 examples) and trials/s with 1, 2, 4, 8 slots
/// over two nodes with the database's load (transactions, rows, CPU) beside it, and dead-node recovery (kill -9 of a worker-only node → its trial re-running elsewhere, median of 5).
/// </summary>
public static class JobsBenchmark
{
    private static readonly JsonSerializerOptions Line = new() { WriteIndented = false };

    public static async Task<int> RunAsync(string[] args)
    {
        var admin = Environment.GetEnvironmentVariable("HPSEARCH_BENCH_PG")
            ?? throw new InvalidOperationException("HPSEARCH_BENCH_PG is not set: run ./hpsearch bench jobs.");
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim();
        Console.WriteLine(JsonSerializer.Serialize(new { benchmark = "jobs-machine", cpu, cores = Environment.ProcessorCount, loadAverage = LoadAverage(), date = DateTime.UtcNow }, Line));
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_HPSEARCH_API", Path.Combine(DashboardBenchmark.RepoRoot(), "Api"));
        await DispatchAsync(admin);
        await ThroughputAsync(admin);
        await RecoveryAsync(admin);
        return 0;
    }

    private static async Task DispatchAsync(string admin)
    {
        await using var db = await BenchDb.CreateAsync(admin);
        await using var node = new JobsHost(db.ConnectionString, "bench-dispatch", slots: 1);
        _ = node.Server;
        using var client = node.CreateAuthorizedClient();
        await RunAsync(client, node, Spec("warm", 1, 1)); // JIT and connection pools warm
        var ms = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(1500); // the node is idle again: its workers are in their poll wait
            var sw = Stopwatch.StartNew();
            var id = await PostAsync(client, Spec($"dispatch-{i}", 1, 1));
            await using var ctx = Db(node);
            while (!await ctx.Trials.AnyAsync(t => t.ExperimentId == id && t.StartedAt != null)) await Task.Delay(5);
            ms.Add(sw.Elapsed.TotalMilliseconds);
            await WaitFinishedAsync(client, id);
        }
        ms.Sort();
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            benchmark = "jobs-dispatch", what = "POST /api/experiments -> first trial running, idle node", runs = ms.Count,
            medianMs = Math.Round(ms[ms.Count / 2], 1), maxMs = Math.Round(ms[^1], 1), loadAverage = LoadAverage(),
        }, Line));
    }

    private static async Task ThroughputAsync(string admin)
    {
        // The peer in the same run: the same sweep with Hangfire's long polling (LISTEN/NOTIFY wakes an idle worker on enqueue)
        // instead of the 500 ms poll alone. Slots in all, split over two nodes (1 slot: the second node serves the API only).
        foreach (var longPolling in new[] { false, true })
        foreach (var total in new[] { 1, 2, 4, 8 })
        {
            var settings = new Dictionary<string, string> { ["Jobs:LongPolling"] = longPolling ? "true" : "false" };
            await using var db = await BenchDb.CreateAsync(admin);
            var (slotsA, slotsB) = ((total + 1) / 2, total / 2);
            await using var a = new JobsHost(db.ConnectionString, "bench-a", slotsA, settings);
            await using var b = new JobsHost(db.ConnectionString, "bench-b", slotsB, settings);
            _ = a.Server;
            _ = b.Server;
            using var client = a.CreateAuthorizedClient();
            await RunAsync(client, a, Spec("warm", 2 * total, 1, total));
            const int trials = 40;
            var before = await DatabaseLoad.SampleAsync(db.ConnectionString);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var id = await PostAsync(client, Spec($"throughput-{total}", trials, 1, total));
            await WaitFinishedAsync(client, id);
            var wall = sw.Elapsed.TotalSeconds;
            var nodesCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var database = (await DatabaseLoad.SampleAsync(db.ConnectionString)).Since(before, wall);
            await using var ctx = Db(a);
            var rows = await ctx.Trials.AsNoTracking().Where(t => t.ExperimentId == id)
                .Select(t => new { t.StartedAt, t.FinishedAt, t.CreatedAt }).ToListAsync();
            var trainSeconds = await ctx.TrialEpochs.AsNoTracking().Where(e => ctx.Trials.Any(t => t.Id == e.TrialId && t.ExperimentId == id)).SumAsync(e => e.Seconds ?? 0);
            // Job-layer time per trial: queued -> finished, minus the training itself.
            var perTrial = rows.Select(r => ((r.FinishedAt ?? r.CreatedAt) - r.CreatedAt).TotalMilliseconds).Order().ToList();
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                benchmark = "jobs-throughput", nodes = 2, slots = total, slotsPerNode = new[] { slotsA, slotsB }, longPolling, trials,
                wallSeconds = Math.Round(wall, 2), trialsPerSecond = Math.Round(trials / wall, 2),
                wallMsPerTrialPerSlot = Math.Round(wall * 1000 * total / trials, 1),
                queuedToFinishedMedianMs = Math.Round(perTrial[perTrial.Count / 2], 1), trainingMsPerTrial = Math.Round(trainSeconds * 1000 / trials, 2),
                // Where the two cores went: the nodes (this process: both APIs, their pools and the client) and PostgreSQL.
                nodesCpuPerSecond = Math.Round(nodesCpu / wall, 2), database, loadAverage = LoadAverage(),
            }, Line));
        }
    }

    private static async Task RecoveryAsync(string admin)
    {
        const int timeout = 10;
        var settings = new Dictionary<string, string> { ["Jobs:InvisibilityTimeoutSeconds"] = $"{timeout}" };
        await using var db = await BenchDb.CreateAsync(admin);
        await using var api = new JobsHost(db.ConnectionString, "bench-api", slots: 0, settings);
        _ = api.Server;
        using var client = api.CreateAuthorizedClient();
        var seconds = new List<double>();
        var worker = StartWorker(db.ConnectionString, "bench-w0", timeout);
        try
        {
            for (var i = 0; i < 5; i++)
            {
                var id = await PostAsync(client, Spec($"recovery-{i}", 1, 400));
                await using var ctx = Db(api);
                while (!await ctx.Trials.AnyAsync(t => t.ExperimentId == id && t.Status == TrialStatus.Running && t.EpochCount >= 2)) await Task.Delay(50);
                var next = StartWorker(db.ConnectionString, $"bench-w{i + 1}", timeout);
                await Task.Delay(5000); // the new node is up and polling before the kill
                worker.Kill();
                await worker.WaitForExitAsync();
                var killed = Stopwatch.StartNew();
                while (!await ctx.Trials.AnyAsync(t => t.ExperimentId == id && t.Attempt >= 2)) await Task.Delay(50);
                seconds.Add(killed.Elapsed.TotalSeconds);
                worker.Dispose();
                worker = next;
                await WaitFinishedAsync(client, id);
            }
        }
        finally
        {
            if (!worker.HasExited) worker.Kill(entireProcessTree: true);
            worker.Dispose();
        }
        seconds.Sort();
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            benchmark = "jobs-recovery", what = "kill -9 of a worker node -> its trial re-running on another node", invisibilityTimeoutSeconds = timeout,
            queuePollMs = 500, runs = seconds.Count, medianSeconds = Math.Round(seconds[seconds.Count / 2], 2), maxSeconds = Math.Round(seconds[^1], 2),
            loadAverage = LoadAverage(),
        }, Line));
    }

    private static Process StartWorker(string connectionString, string node, int timeout)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "HpSearch.Workers.dll")])
        {
            WorkingDirectory = AppContext.BaseDirectory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        info.Environment["ConnectionStrings__HpSearch"] = connectionString;
        info.Environment["HpSearch__DataDirectory"] = Path.Combine(Path.GetTempPath(), "hpsearch-bench-jobs");
        info.Environment["Workers__NodeName"] = node;
        info.Environment["Jobs__InvisibilityTimeoutSeconds"] = $"{timeout}";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var p = Process.Start(info)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static string Spec(string name, int trials, int epochs, int parallelism = 1) => $$"""
        { "name": "{{name}}", "dataset": "synthetic-blobs",
          "params": { "hidden": [8], "epochs": {{epochs}}, "batchSize": 16 },
          "searchSpace": { "lr": { "type": "logUniform", "low": 0.001, "high": 0.1 } },
          "budget": { "maxTrials": {{trials}}, "maxEpochs": {{epochs}}, "parallelism": {{parallelism}} } }
        """;

    private static async Task<Guid> PostAsync(HttpClient client, string spec)
    {
        var post = await client.PostAsync("/api/experiments", new StringContent(spec, Encoding.UTF8, "application/json"));
        post.EnsureSuccessStatusCode();
        return Guid.Parse((await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
    }

    private static async Task RunAsync(HttpClient client, JobsHost node, string spec) => await WaitFinishedAsync(client, await PostAsync(client, spec));

    private static async Task WaitFinishedAsync(HttpClient client, Guid id)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            var e = await client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}");
            if (e.GetProperty("status").GetString() is "completed" or "failed" or "cancelled") return;
            await Task.Delay(20);
        }
        throw new TimeoutException($"experiment {id} did not finish");
    }

    private static HpSearchDb Db(JobsHost node) => node.Services.GetRequiredService<IDbContextFactory<HpSearchDb>>().CreateDbContext();

    private static double LoadAverage() => double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    private sealed class BenchDb(string admin, string name) : IAsyncDisposable
    {
        public string ConnectionString { get; } = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;

        public static async Task<BenchDb> CreateAsync(string admin)
        {
            var name = $"hpsearch_benchjobs_{Guid.NewGuid():N}"[..34];
            await DashboardBenchmark.ExecAsync(admin, $"CREATE DATABASE \"{name}\"");
            return new BenchDb(admin, name);
        }

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await DashboardBenchmark.ExecAsync(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
    }
}
