using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using HpSearch.Benchmarks.Dashboard;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence;
using HpSearch.Persistence.Experiments;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HpSearch.Benchmarks.Scale;

/// <summary>
/// <c>bench scale [--sizes 1000,10000,100000] [--epochs 20] [--running 10] [--legacy 20,5,2] [--offset 1]</c>: for each size, bulk-loads an
/// experiment of that many finished trials × epochs rows (<see cref="ScaleSeed"/>, timed), adds running trials and writes their
/// epochs through the service's epoch step (<see cref="TrialEpochs.RecordAsync"/>: store + stopping decision) under ASHA and under
/// the median rule; as peers in the same run, as many epochs through the step with decision 0018's count + OFFSET answer
/// (<see cref="OffsetEpochPath"/>), and a few through the step before 0018 (<see cref="LegacyEpochPath"/>: reload everything;
/// a --legacy count of 0 skips it; --offset 0 skips the first). Prints one JSON line per measurement and a summary line; database on HPSEARCH_BENCH_PG
/// (an admin connection string).
/// </summary>
public static class ScaleBenchmark
{
    private static readonly string[] Rules =
    [
        """{ "kind": "asha", "minEpochs": 1, "reductionFactor": 3 }""",
        """{ "kind": "median", "startupTrials": 5, "warmupEpochs": 1 }""",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = List(args, "--sizes", [1_000, 10_000, 100_000]);
        var epochs = Arg(args, "--epochs", 20);
        var running = Arg(args, "--running", 10);
        var legacy = List(args, "--legacy", [20, 5, 2]);
        var withOffset = Arg(args, "--offset", 1) != 0; // 0: the service's step alone (no peer between its epochs)
        var admin = Environment.GetEnvironmentVariable("HPSEARCH_BENCH_PG")
            ?? throw new InvalidOperationException("HPSEARCH_BENCH_PG is not set: run ./hpsearch bench scale.");
        var dbName = $"hpsearch_benchscale_{Guid.NewGuid():N}"[..32];
        await DashboardBenchmark.ExecAsync(admin, $"CREATE DATABASE \"{dbName}\"");
        var cs = new NpgsqlConnectionStringBuilder(admin) { Database = dbName, MaxPoolSize = 8 }.ConnectionString;
        var results = new List<object>();
        try
        {
            for (var i = 0; i < sizes.Length; i++)
            {
                var clock = Stopwatch.StartNew();
                var experimentId = await ScaleSeed.SeedAsync(cs, sizes[i], epochs, seed: 7 + i, ExperimentStatus.Running, $"scale-{sizes[i]}");
                var seedSeconds = clock.Elapsed.TotalSeconds;
                Print(new { bench = "scale-seed", trials = sizes[i], epochRows = (long)sizes[i] * epochs, seconds = Math.Round(seedSeconds, 1),
                    rowsPerSecond = Math.Round(sizes[i] * (double)epochs / seedSeconds) });

                if (i == 0) // warm-up (JIT, EF's query cache, the pool), not counted
                    foreach (var rule in Rules)
                    {
                        await MeasureAsync(cs, experimentId, await SpecAsync(cs, experimentId, rule), 2, 3, Step.Maintained, Step.Offset);
                        await MeasureAsync(cs, experimentId, await SpecAsync(cs, experimentId, rule), 1, 2, Step.Legacy);
                    }
                foreach (var rule in Rules)
                {
                    var spec = await SpecAsync(cs, experimentId, rule);
                    // The two steps take turns epoch by epoch (each on its own trials), so both see the same load and the same groups.
                    var both = withOffset
                        ? await MeasureAsync(cs, experimentId, spec, running, epochs, Step.Maintained, Step.Offset)
                        : await MeasureAsync(cs, experimentId, spec, running, epochs, Step.Maintained);
                    var (after, offset) = (both[0], withOffset ? both[1] : null);
                    var legacyEpochs = Math.Min(epochs, i < legacy.Length ? legacy[i] : 1);
                    var before = legacyEpochs > 0 ? (await MeasureAsync(cs, experimentId, spec, 1, legacyEpochs, Step.Legacy))[0] : null;
                    var row = new
                    {
                        bench = "scale-write", finishedTrials = sizes[i], rule = spec.EarlyStopping.Kind.ToString().ToLowerInvariant(),
                        after = Summary(after), offset = offset is null ? null : Summary(offset), before = before is null ? null : Summary(before),
                        speedupOverOffsetP50 = offset is null ? (double?)null : Math.Round(Percentile(offset, 50) / Percentile(after, 50), 2),
                        speedupP50 = before is null ? (double?)null : Math.Round(Percentile(before, 50) / Percentile(after, 50), 1),
                        loadAverage = File.ReadAllText("/proc/loadavg").Split(' ')[0],
                    };
                    results.Add(row);
                    Print(row);
                }
            }
            Print(new { bench = "scale-write-summary", cpu = CpuModel(), cores = Environment.ProcessorCount, epochsPerTrial = epochs, results });
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await DashboardBenchmark.ExecAsync(admin, $"DROP DATABASE IF EXISTS \"{dbName}\" WITH (FORCE)");
        }
    }

    private enum Step { Maintained, Offset, Legacy }

    /// <summary>Writes <paramref name="epochs"/> epochs of <paramref name="trials"/> new running trials per step, one epoch of each in
    /// turn and the steps taking turns, and returns each step's epoch times in milliseconds. The trials report a strong, rising value
    /// so every epoch is written (the rung and median figures are read whatever the trial's value).</summary>
    private static async Task<List<double>[]> MeasureAsync(string cs, Guid experimentId, ExperimentSpec spec, int trials, int epochs, params Step[] steps)
    {
        var ids = new Guid[steps.Length][];
        for (var s = 0; s < steps.Length; s++) ids[s] = await ScaleSeed.AddRunningTrialsAsync(cs, experimentId, trials, epochs);
        var all = ids.SelectMany(x => x).ToArray();
        Dictionary<Guid, int> numbers;
        await using (var probe = ScaleSeed.Open(cs))
            numbers = await probe.Trials.Where(t => all.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Number);
        var times = steps.Select(_ => new List<double>()).ToArray();
        var options = new DbContextOptionsBuilder<HpSearchDb>();
        PersistenceExtensions.Configure(options, cs);
        for (var epoch = 1; epoch <= epochs; epoch++)
            for (var t = 0; t < trials; t++)
                for (var s = 0; s < steps.Length; s++)
                {
                    var id = ids[s][t];
                    var metrics = new Dictionary<string, double> { ["valAccuracy"] = 0.95 + 0.002 * epoch, ["valLoss"] = 0.2 };
                    await using var db = new HpSearchDb(options.Options);
                    var clock = Stopwatch.StartNew();
                    if (steps[s] == Step.Legacy) await LegacyEpochPath.RecordAsync(db, spec, experimentId, id, numbers[id], epoch, metrics, CancellationToken.None);
                    else if (steps[s] == Step.Offset)
                    {
                        if (await OffsetEpochPath.RecordAsync(db, spec, experimentId, id, numbers[id], epoch, metrics, metrics["valAccuracy"],
                                CancellationToken.None) is { } stop)
                            throw new InvalidOperationException($"the strong trial stopped at epoch {epoch}: {stop.Reason}");
                    }
                    else
                    {
                        var verdict = await TrialEpochs.RecordAsync(db, spec, experimentId, id, numbers[id], 1, true, epoch, metrics, null,
                            metrics["valAccuracy"], epoch, CancellationToken.None);
                        if (!verdict.GoesOn) throw new InvalidOperationException($"the strong trial stopped at epoch {epoch}: {verdict.Decision?.Reason}");
                    }
                    times[s].Add(clock.Elapsed.TotalMilliseconds);
                }
        // Finished, so the next measurement's trials compete with them as finished trials.
        await using var finish = ScaleSeed.Open(cs);
        await finish.Database.ExecuteSqlRawAsync("UPDATE trials SET status = 'completed', finished_at = now() WHERE id = ANY({0})", all);
        return times;
    }

    private static async Task<ExperimentSpec> SpecAsync(string cs, Guid experimentId, string stopping)
    {
        await using var db = ScaleSeed.Open(cs);
        var experiment = await db.Experiments.AsNoTracking().SingleAsync(e => e.Id == experimentId);
        var json = JsonNode.Parse(experiment.SpecJson)!;
        json["earlyStopping"] = JsonNode.Parse(stopping);
        experiment.SpecJson = json.ToJsonString();
        return ExperimentStore.TryParseSpec(experiment) ?? throw new InvalidOperationException("the benchmark's spec does not parse");
    }

    private static object Summary(List<double> ms) => new
    {
        samples = ms.Count, p50Ms = Math.Round(Percentile(ms, 50), 2), p99Ms = Math.Round(Percentile(ms, 99), 2),
        meanMs = Math.Round(ms.Average(), 2),
    };

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    private static void Print(object o) => Console.WriteLine(JsonSerializer.Serialize(o));

    internal static string? CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim();

    internal static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }

    private static int[] List(string[] args, string name, int[] fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1].Split(',').Select(int.Parse).ToArray() : fallback;
    }
}
