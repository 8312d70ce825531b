using System.Diagnostics;
using System.Text.Json;
using HpSearch.Benchmarks.Dashboard;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence;
using HpSearch.Persistence.Model;
using HpSearch.Persistence.Trials;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HpSearch.Benchmarks.Scale;

/// <summary>
/// <c>bench scale-streams [--streams 1,100,500] [--seconds 30] [--slots 8] [--before-api DLL]</c>: one API process
/// (<see cref="ApiProcess"/>) with N live-update streams open on one experiment while a sweep writes to it: <c>slots</c>
/// trials at a time, each storing an epoch every 250 ms through the service's own trial writes (<see cref="TrialWrites"/>),
/// finishing after 20 epochs and replaced by a new trial. Prints JSON per build and stream count (0 = the sweep alone):
/// the database's transactions and rows read per second (pg_stat_database), the API's CPU (cores, from /proc), and the
/// events the streams received. <c>--before-api</c> measures an older build (the polling streams) on its own database first.
/// </summary>
public static class StreamLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var streams = (ReadLatency.Value(args, "--streams") ?? "1,100,500").Split(',').Select(int.Parse).ToList();
        var seconds = ScaleBenchmark.Arg(args, "--seconds", 30);
        var slots = ScaleBenchmark.Arg(args, "--slots", 8);
        var before = ReadLatency.Value(args, "--before-api");
        var admin = Environment.GetEnvironmentVariable("HPSEARCH_BENCH_PG")
            ?? throw new InvalidOperationException("HPSEARCH_BENCH_PG is not set: run ./hpsearch bench scale-streams.");
        Console.WriteLine(JsonSerializer.Serialize(new { bench = "scale-streams", cpu = ScaleBenchmark.CpuModel(), cores = Environment.ProcessorCount, streams, seconds, slots, epochsPerSecond = slots * 4 }));
        if (before is not null) await MeasureAsync("before", before, admin, streams, seconds, slots, dropTriggers: true);
        await MeasureAsync("after", ApiProcess.DefaultDll(), admin, streams, seconds, slots, dropTriggers: false);
        return 0;
    }

    private static async Task MeasureAsync(string build, string dll, string admin, List<int> streams, int seconds, int slots, bool dropTriggers)
    {
        var dbName = $"hpsearch_benchlive_{Guid.NewGuid():N}"[..32];
        await DashboardBenchmark.ExecAsync(admin, $"CREATE DATABASE \"{dbName}\"");
        var cs = new NpgsqlConnectionStringBuilder(admin) { Database = dbName, MaxPoolSize = 100 }.ConnectionString;
        try
        {
            var id = await ScaleSeed.SeedAsync(cs, 1000, 20, seed: 7, ExperimentStatus.Running, "streams");
            // The older build has no change feed: its database gets no notifying triggers either.
            if (dropTriggers)
                await DashboardBenchmark.ExecAsync(cs, """
                    DROP TRIGGER IF EXISTS trial_epochs_notify_update ON trial_epochs; DROP TRIGGER IF EXISTS trial_epochs_notify_insert ON trial_epochs;
                    DROP TRIGGER IF EXISTS trials_notify_update ON trials; DROP TRIGGER IF EXISTS trials_notify_insert ON trials;
                    DROP TRIGGER IF EXISTS experiments_notify_update ON experiments; DROP TRIGGER IF EXISTS experiments_notify_insert ON experiments;
                    """);
            await using var api = await ApiProcess.StartAsync(dll, cs);
            using var http = api.CreateClient(streams.Max() + 16);
            await using var sweep = new Sweep(cs, id, slots, 1000);
            await sweep.StartAsync();
            foreach (var n in streams.Prepend(0))
            {
                var received = new long[Math.Max(1, n)];
                using var stop = new CancellationTokenSource();
                var opened = new List<Task>();
                var readers = Enumerable.Range(0, n).Select(i => ReadAsync(http, $"/api/experiments/{id}/events", i, received, opened, stop.Token)).ToList();
                await Task.Delay(TimeSpan.FromSeconds(n == 0 ? 2 : 8)); // streams connected, first polls or reads done
                var db0 = await StatsAsync(cs);
                var cpu0 = api.CpuSeconds();
                var epochs0 = sweep.Epochs;
                var events0 = received.Sum();
                var clock = Stopwatch.StartNew();
                await Task.Delay(TimeSpan.FromSeconds(seconds));
                var wall = clock.Elapsed.TotalSeconds;
                var db1 = await StatsAsync(cs);
                var cpu1 = api.CpuSeconds();
                var events = received.Sum() - events0;
                await stop.CancelAsync();
                await Task.WhenAll(readers);
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    build, streams = n, seconds = Math.Round(wall, 1),
                    epochsWrittenPerSecond = Math.Round((sweep.Epochs - epochs0) / wall, 1),
                    dbTransactionsPerSecond = Math.Round((db1.Transactions - db0.Transactions) / wall, 1),
                    dbRowsReadPerSecond = Math.Round((db1.Rows - db0.Rows) / wall),
                    apiCpuCores = Math.Round((cpu1 - cpu0) / wall, 3),
                    streamsReceiving = n == 0 ? 0 : received.Count(r => r > 0),
                    streamsFailed = Interlocked.Exchange(ref _failed, 0),
                    eventsPerStreamPerSecond = n == 0 ? 0 : Math.Round(events / (double)n / wall, 2),
                    sweepErrors = sweep.Errors,
                }));
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await DashboardBenchmark.ExecAsync(admin, $"DROP DATABASE IF EXISTS \"{dbName}\" WITH (FORCE)");
        }
    }

    private static int _failed;

    private static async Task ReadAsync(HttpClient http, string url, int index, long[] received, List<Task> opened, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            using var lines = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            while (await lines.ReadLineAsync(cancellationToken) is { } line)
                if (line.StartsWith("event: ", StringComparison.Ordinal)) Interlocked.Increment(ref received[index]);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            if (Interlocked.Increment(ref _failed) <= 3) Console.Error.WriteLine($"stream {index}: {e.Message}");
        }
    }

    private static async Task<(long Transactions, long Rows)> StatsAsync(string cs)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT pg_stat_force_next_flush(); SELECT xact_commit + xact_rollback, tup_returned + tup_fetched FROM pg_stat_database WHERE datname = current_database()", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.NextResultAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>A sweep's writes without training: <c>slots</c> running trials, an epoch each every 250 ms.</summary>
    private sealed class Sweep(string connectionString, Guid experimentId, int slots, int firstNumber) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _slots = [];
        private int _next = firstNumber;
        private long _epochs;
        private int _errors;

        public long Epochs => Interlocked.Read(ref _epochs);
        public int Errors => _errors;

        public Task StartAsync()
        {
            for (var s = 0; s < slots; s++) _slots.Add(Task.Run(() => SlotAsync(s, _stop.Token)));
            return Task.CompletedTask;
        }

        private HpSearchDb Open()
        {
            var options = new DbContextOptionsBuilder<HpSearchDb>();
            PersistenceExtensions.Configure(options, connectionString);
            return new HpSearchDb(options.Options);
        }

        private async Task SlotAsync(int slot, CancellationToken cancellationToken)
        {
            var random = new Random(slot);
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    await using var db = Open();
                    var trial = new Trial
                    {
                        Id = Guid.CreateVersion7(), ExperimentId = experimentId, Number = Interlocked.Increment(ref _next),
                        ParamsJson = $$"""{"lr":{{random.NextDouble() * 0.1}}}""", MaxEpochs = 20, Seed = slot, CreatedAt = DateTimeOffset.UtcNow,
                        UpdatedAt = DateTimeOffset.UtcNow,
                    };
                    db.Trials.Add(trial);
                    await db.SaveChangesAsync(cancellationToken);
                    var attempt = (await TrialWrites.StartAttemptAsync(db, trial.Id, $"bench/{slot}", cancellationToken))!.Attempt;
                    double? best = null;
                    int? bestEpoch = null;
                    for (var e = 1; e <= 20 && !cancellationToken.IsCancellationRequested; e++)
                    {
                        await Task.Delay(250, cancellationToken);
                        var acc = 0.5 + 0.4 * (1 - Math.Exp(-e / 5.0)) + 0.01 * random.NextDouble();
                        if (best is null || acc > best) (best, bestEpoch) = (acc, e);
                        var metrics = new Dictionary<string, double> { ["valAccuracy"] = acc, ["valLoss"] = 1 - acc, ["trainLoss"] = 1.1 - acc };
                        if (await TrialWrites.WriteEpochAsync(db, trial.Id, attempt, e, metrics, null, best, bestEpoch,
                                HpSearch.Domain.EarlyStopping.Scores.Of(acc, new HpSearch.Domain.Experiments.Objective("valAccuracy", true)), cancellationToken) is not null)
                            Interlocked.Increment(ref _epochs);
                    }
                    await TrialWrites.FinishAsync(db, trial.Id, attempt, TrialStatus.Completed, null, null, null, 0, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref _errors);
                Console.Error.WriteLine($"sweep slot {slot}: {e.Message}");
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_slots);
        }
    }
}
