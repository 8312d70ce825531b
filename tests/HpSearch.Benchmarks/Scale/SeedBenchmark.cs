using System.Diagnostics;
using System.Text.Json;
using HpSearch.Benchmarks.Dashboard;
using HpSearch.Domain.Experiments;
using Npgsql;

namespace HpSearch.Benchmarks.Scale;

/// <summary>
/// <c>bench scale-seed [--trials 100000] [--epochs 20] [--paths bulk,triggers]</c>: seeds one experiment of trials × epochs rows
/// (and the score rows) with <see cref="ScaleSeed"/>, each path into a fresh database in the same run: <c>bulk</c> (triggers
/// off, secondary indexes rebuilt, one recount) and <c>triggers</c> (the same COPYs through the service's triggers and indexes).
/// Checks after each that the experiment's counters equal a recount of its trials. Prints one JSON line per path, with the
/// CPU model and the load average before and after (the machine may be shared).
/// </summary>
public static class SeedBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var trials = ScaleBenchmark.Arg(args, "--trials", 100_000);
        var epochs = ScaleBenchmark.Arg(args, "--epochs", 20);
        var i = Array.IndexOf(args, "--paths");
        var paths = i >= 0 && i + 1 < args.Length ? args[i + 1].Split(',') : ["bulk", "triggers"];
        var admin = Environment.GetEnvironmentVariable("HPSEARCH_BENCH_PG")
            ?? throw new InvalidOperationException("HPSEARCH_BENCH_PG is not set: run ./hpsearch bench scale-seed.");
        foreach (var path in paths)
        {
            if (path is not ("bulk" or "triggers")) throw new ArgumentException($"--paths: '{path}' is not bulk or triggers.");
            var dbName = $"hpsearch_benchseed_{Guid.NewGuid():N}"[..32];
            await DashboardBenchmark.ExecAsync(admin, $"CREATE DATABASE \"{dbName}\"");
            var cs = new NpgsqlConnectionStringBuilder(admin) { Database = dbName, MaxPoolSize = 4 }.ConnectionString;
            try
            {
                // The schema first (not timed): both paths load into a migrated database.
                await using (var db = ScaleSeed.Open(cs)) await Persistence.PersistenceExtensions.MigrateAsync(db, CancellationToken.None);
                var loadBefore = LoadAverage();
                var clock = Stopwatch.StartNew();
                var id = await ScaleSeed.SeedAsync(cs, trials, epochs, seed: 7, ExperimentStatus.Completed, $"seed-{path}", bulk: path == "bulk");
                var seconds = clock.Elapsed.TotalSeconds;
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    bench = "scale-seed", path, trials, epochRows = (long)trials * epochs, seconds = Math.Round(seconds, 1),
                    epochRowsPerSecond = Math.Round(trials * (double)epochs / seconds), countersExact = await CountersExactAsync(cs, id),
                    cpu = ScaleBenchmark.CpuModel(), cores = Environment.ProcessorCount, loadBefore, loadAfter = LoadAverage(),
                }));
            }
            finally
            {
                NpgsqlConnection.ClearAllPools();
                await DashboardBenchmark.ExecAsync(admin, $"DROP DATABASE IF EXISTS \"{dbName}\" WITH (FORCE)");
            }
        }
        return 0;
    }

    /// <summary>The 1-, 5- and 15-minute load averages.</summary>
    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static async Task<bool> CountersExactAsync(string cs, Guid id)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT (c.completed, c.epochs_trained) = (r.completed, r.epochs)
            FROM experiment_counters c,
                 (SELECT count(*) FILTER (WHERE status = 'completed')::int AS completed, sum(epoch_count)::int AS epochs
                  FROM trials WHERE experiment_id = @e) r
            WHERE c.experiment_id = @e
            """, conn);
        cmd.Parameters.AddWithValue("e", id);
        return await cmd.ExecuteScalarAsync() is true;
    }
}
