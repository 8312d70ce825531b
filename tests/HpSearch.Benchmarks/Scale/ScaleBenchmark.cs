using System.Diagnostics;
using System.Text.Json;
using HpSearch.Benchmarks.Dashboard;
using Npgsql;

namespace HpSearch.Benchmarks.Scale;

/// <summary>
/// <c>bench scale [--trials 100000] [--epochs 20]</c>: bulk-loads an experiment of trials × epochs rows with
/// <see cref="ScaleSeed"/> into a fresh database on HPSEARCH_BENCH_PG and prints JSON: rows, seconds, rows per second.
/// </summary>
public static class ScaleBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var trials = Arg(args, "--trials", 100_000);
        var epochs = Arg(args, "--epochs", 20);
        var admin = Environment.GetEnvironmentVariable("HPSEARCH_BENCH_PG")
            ?? throw new InvalidOperationException("HPSEARCH_BENCH_PG is not set: run ./hpsearch bench scale.");
        var dbName = $"hpsearch_benchscale_{Guid.NewGuid():N}"[..32];
        await DashboardBenchmark.ExecAsync(admin, $"CREATE DATABASE \"{dbName}\"");
        var cs = new NpgsqlConnectionStringBuilder(admin) { Database = dbName }.ConnectionString;
        try
        {
            var clock = Stopwatch.StartNew();
            await ScaleSeed.SeedAsync(cs, trials, epochs, seed: 7);
            var seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                bench = "scale-seed", cpu = CpuModel(), trials, epochRows = (long)trials * epochs,
                seconds = Math.Round(seconds, 1), rowsPerSecond = Math.Round(trials * (double)epochs / seconds),
            }));
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await DashboardBenchmark.ExecAsync(admin, $"DROP DATABASE IF EXISTS \"{dbName}\" WITH (FORCE)");
        }
    }

    internal static string? CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim();

    internal static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }
}
