using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HpSearch.Benchmarks.Dashboard;
using HpSearch.Workers.Data;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HpSearch.Benchmarks.Search;

/// <summary>
/// <c>bench search [--slots 1] [--threads 2] [--runs none,median,asha] [--peer optuna] [--six-step]</c>: starts the real
/// API with its embedded worker pool on a fresh database (env HPSEARCH_BENCH_PG, an admin connection string), submits
/// issue 4's sweep over HTTP once per stopping rule, polls each to the end and prints one JSON line per run; with
/// <c>--peer optuna</c> also the Optuna runs on the same data and a line of ratios.
/// </summary>
public static class SearchBenchmark
{
    private static readonly JsonSerializerOptions Line = new() { WriteIndented = false };

    public static async Task<int> RunAsync(string[] args)
    {
        var o = SearchBenchOptions.Parse(args);
        var admin = Environment.GetEnvironmentVariable("HPSEARCH_BENCH_PG")
            ?? throw new InvalidOperationException("HPSEARCH_BENCH_PG is not set: run ./hpsearch bench search.");
        var dbName = $"hpsearch_benchsearch_{Guid.NewGuid():N}"[..34];
        await DashboardBenchmark.ExecAsync(admin, $"CREATE DATABASE \"{dbName}\"");
        var cs = new NpgsqlConnectionStringBuilder(admin) { Database = dbName }.ConnectionString;
        try
        {
            Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_HPSEARCH_API", Path.Combine(DashboardBenchmark.RepoRoot(), "Api"));
            await using var host = new SearchHost(cs, o);
            _ = host.Server; // starts the host: migrations applied, scheduler and worker pool running
            using var client = host.CreateAuthorizedClient();
            var catalog = host.Services.GetRequiredService<DatasetCatalog>();
            await catalog.LoadAsync(o.Dataset, default); // fetched and converted once, before any run is timed

            if (o.Warmup > 0)
            {
                var warm = o with { Trials = o.Warmup, Epochs = 2, Seed = o.Seed + 1000 };
                var (_, warmSeconds) = await RunExperimentAsync(client, SearchSpecs.Sweep(warm, "asha"));
                Console.WriteLine(JsonSerializer.Serialize(new { benchmark = "search-warmup", trials = o.Warmup, epochs = 2, wallSeconds = Math.Round(warmSeconds, 1) }, Line));
            }

            if (o.Seeds.Count > 0)
            {
                await SeedsComparison.RunAsync(o, client, catalog);
                return 0;
            }

            if (o.SixStep)
            {
                var (detail, seconds) = await RunExperimentAsync(client, SearchSpecs.SixStep(o));
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    benchmark = "six-step", dataset = o.Dataset, status = Str(detail, "status"), wallSeconds = Math.Round(seconds, 1),
                    currentStage = Str(detail, "currentStage"), failureReason = Str(detail, "failureReason"),
                    stages = detail["stages"], bestTrial = Best(detail), trials = detail["trialCounts"], loadAverage = LoadAverage(),
                }, Line));
                return 0;
            }

            var service = new Dictionary<string, JsonObject>();
            JsonArray? configs = null;
            foreach (var stopping in o.Runs)
            {
                var (detail, seconds) = await RunExperimentAsync(client, SearchSpecs.Sweep(o, stopping));
                var trials = (await client.GetFromJsonAsync<JsonObject>($"/api/experiments/{(string)detail["id"]!}/trials?pageSize=5000"))!["items"]!
                    .AsArray().OfType<JsonObject>().ToList();
                configs ??= o.SameConfigs ? Configs(trials) : null;
                var line = RunLine(o, stopping, detail, seconds);
                // Where the slots' time went: inside the trainer's epochs, or around them (service work between epochs and trials).
                var (trainer, loop) = await EpochSecondsAsync(client, trials);
                line["trainerEpochSeconds"] = Math.Round(trainer, 1);
                line["trainingLoopSeconds"] = Math.Round(loop, 1);
                line["slotBusyFraction"] = Math.Round(trainer / (seconds * o.Slots), 3);
                foreach (var (k, v) in Timeline(detail, trials)) line[k] = v;
                line["meanCompletedValue"] = MeanCompletedValue(trials);
                service[stopping] = line;
                Console.WriteLine(line.ToJsonString());
            }

            if (o.Peer == "optuna")
            {
                var peer = await OptunaPeer.RunAsync(o, catalog, configs);
                foreach (var p in peer) Console.WriteLine(p.ToJsonString());
                var byKind = peer.ToDictionary(p => (string)p["stopping"]! == "sha" ? "asha" : (string)p["stopping"]!);
                Console.WriteLine(Compare(service, byKind).ToJsonString());
            }
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await DashboardBenchmark.ExecAsync(admin, $"DROP DATABASE IF EXISTS \"{dbName}\" WITH (FORCE)");
        }
    }

    /// <summary>Submits a spec, polls it to the end (every 100 ms: the poll adds at most that to the wall time), and returns its final detail with the wall time from POST to finished.</summary>
    internal static async Task<(JsonObject Detail, double Seconds)> RunExperimentAsync(HttpClient client, JsonObject spec)
    {
        var clock = Stopwatch.StartNew();
        var post = await client.PostAsync("/api/experiments", new StringContent(spec.ToJsonString(), Encoding.UTF8, "application/json"));
        if (!post.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST /api/experiments: {(int)post.StatusCode} {await post.Content.ReadAsStringAsync()}");
        var id = (string)(await post.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        while (true)
        {
            await Task.Delay(100);
            var detail = (await client.GetFromJsonAsync<JsonObject>($"/api/experiments/{id}"))!;
            if (Str(detail, "status") is "completed" or "failed" or "cancelled") return (detail, clock.Elapsed.TotalSeconds);
        }
    }

    /// <summary>The sums of every epoch's <c>seconds</c> (the trainer's own wall time for it) and of its training loop
    /// (<c>trainSeconds</c>: batches only, no evaluation) over the experiment's trials.</summary>
    private static async Task<(double Epochs, double Loops)> EpochSecondsAsync(HttpClient client, List<JsonObject> trials)
    {
        double total = 0, loops = 0;
        foreach (var t in trials)
        {
            var detail = (await client.GetFromJsonAsync<JsonObject>($"/api/trials/{(string)t["id"]!}"))!;
            foreach (var epoch in detail["metrics"]!.AsArray().OfType<JsonObject>())
            {
                if (epoch["seconds"] is JsonValue) total += D(epoch, "seconds");
                if (epoch["extra"] is JsonObject extra && extra["trainSeconds"] is JsonValue) loops += D(extra, "trainSeconds");
            }
        }
        return (total, loops);
    }

    /// <summary>The mean best value of the completed trials (with no stopping: every trial), to compare trainers over a whole sweep.</summary>
    private static double? MeanCompletedValue(List<JsonObject> trials)
    {
        var values = trials.Where(t => Str(t, "status") == "completed" && t["bestValue"] is JsonValue).Select(t => D(t, "bestValue")).ToList();
        return values.Count == 0 ? null : Math.Round(values.Average(), 4);
    }

    /// <summary>The searched parameters of an experiment's trials, in trial order (every run draws the same ones).</summary>
    private static JsonArray Configs(List<JsonObject> trials)
    {
        string[] searched = ["lr", "weightDecay", "optimizer", "dropout"];
        return new JsonArray(trials.OrderBy(t => (int)t["number"]!)
            .Select(t => (JsonNode)new JsonObject(searched.Select(k => KeyValuePair.Create(k, t["params"]![k]?.DeepClone()))))
            .ToArray());
    }

    /// <summary>The server's own clock: created → finished, created → first trial started, the idle time of the slots
    /// between one trial's end and the next one's start (trials taken in start order), and last trial → finished
    /// (the chosen trial's test evaluation).</summary>
    private static Dictionary<string, JsonNode?> Timeline(JsonObject detail, List<JsonObject> trials)
    {
        var spans = trials
            .Where(t => t["startedAt"] is JsonValue && t["finishedAt"] is JsonValue)
            .Select(t => (Start: DateTimeOffset.Parse(Str(t, "startedAt")!), End: DateTimeOffset.Parse(Str(t, "finishedAt")!)))
            .OrderBy(t => t.Start).ToList();
        var created = DateTimeOffset.Parse(Str(detail, "createdAt")!);
        var finished = DateTimeOffset.Parse(Str(detail, "finishedAt")!);
        double gaps = 0;
        var lastEnd = spans.Count == 0 ? created : spans[0].End;
        foreach (var (start, end) in spans.Skip(1))
        {
            gaps += Math.Max(0, (start - lastEnd).TotalSeconds);
            if (end > lastEnd) lastEnd = end;
        }
        return new()
        {
            ["serverSeconds"] = Math.Round((finished - created).TotalSeconds, 2),
            ["firstTrialStartSeconds"] = spans.Count == 0 ? null : Math.Round((spans[0].Start - created).TotalSeconds, 2),
            ["betweenTrialsSeconds"] = Math.Round(gaps, 2),
            ["afterLastTrialSeconds"] = spans.Count == 0 ? null : Math.Round((finished - lastEnd).TotalSeconds, 2),
        };
    }

    internal static JsonObject RunLine(SearchBenchOptions o, string stopping, JsonObject detail, double seconds)
    {
        int Int(string k) => (int)detail[k]!;
        return new JsonObject
        {
            ["benchmark"] = "search", ["impl"] = "hpsearch", ["strategy"] = o.Strategy, ["stopping"] = stopping, ["status"] = Str(detail, "status"),
            ["bestValAccuracy"] = detail["bestValue"] is { } b ? Math.Round((double)b, 4) : null,
            ["testAccuracy"] = detail["bestTrial"]?["testAccuracy"] is { } t ? Math.Round((double)t, 4) : null,
            ["epochsTrained"] = Int("epochsTrained"), ["epochsBudget"] = o.Trials * o.Epochs, ["epochsSaved"] = Int("epochsSaved"),
            ["epochsFraction"] = Math.Round((double)Int("epochsTrained") / (o.Trials * o.Epochs), 3),
            ["wallSeconds"] = Math.Round(seconds, 1),
            ["trials"] = detail["trialCounts"]!.DeepClone(),
            ["bestTrial"] = Best(detail),
            ["config"] = new JsonObject
            {
                ["dataset"] = o.Dataset, ["model"] = "mlp 784-256-256-10", ["trials"] = o.Trials, ["epochs"] = o.Epochs, ["batchSize"] = 128,
                ["seed"] = o.Seed, ["slots"] = o.Slots, ["threadsPerSlot"] = o.Threads,
                ["earlyStopping"] = detail["spec"]?["earlyStopping"]?.DeepClone(),
            },
            ["loadAverage"] = LoadAverage(),
        };
    }

    /// <summary>ASHA against Optuna: issue 4's goals are accuracy ≥ Optuna's best without pruning, ≤ 40 % of the epochs,
    /// ≤ half of the wall time of Optuna's successive halving.</summary>
    private static JsonObject Compare(Dictionary<string, JsonObject> service, Dictionary<string, JsonObject> optuna)
    {
        var result = new JsonObject { ["benchmark"] = "search-vs-optuna" };
        foreach (var (kind, mine) in service)
        {
            if (!optuna.TryGetValue(kind, out var peer)) continue;
            result[kind] = new JsonObject
            {
                ["accuracyDiff"] = Math.Round(D(mine, "bestValAccuracy") - D(peer, "bestValAccuracy"), 4),
                ["epochsRatio"] = Math.Round(D(mine, "epochsTrained") / D(peer, "epochsTrained"), 3),
                ["wallRatio"] = Math.Round(D(mine, "wallSeconds") / D(peer, "wallSeconds"), 3),
            };
        }
        if (service.TryGetValue("asha", out var asha) && optuna.TryGetValue("none", out var optunaNone) && optuna.TryGetValue("asha", out var optunaSha))
        {
            var acc = D(asha, "bestValAccuracy");
            var fraction = D(asha, "epochsFraction");
            var wallRatio = D(asha, "wallSeconds") / D(optunaSha, "wallSeconds");
            result["goals"] = new JsonObject
            {
                ["ashaAccuracyVsOptunaNoPruning"] = Math.Round(acc - D(optunaNone, "bestValAccuracy"), 4),
                ["ashaEpochsFraction"] = fraction,
                ["ashaWallVsOptunaSha"] = Math.Round(wallRatio, 3),
                ["met"] = new JsonObject
                {
                    ["accuracy"] = acc >= D(optunaNone, "bestValAccuracy"), ["epochs"] = fraction <= 0.4, ["wall"] = wallRatio <= 0.5,
                },
            };
        }
        return result;
    }

    private static JsonObject? Best(JsonObject detail) => detail["bestTrial"] is JsonObject t
        ? new JsonObject
        {
            ["number"] = t["number"]?.DeepClone(), ["status"] = t["status"]?.DeepClone(), ["stage"] = t["stage"]?.DeepClone(),
            ["params"] = t["params"]?.DeepClone(), ["bestValue"] = t["bestValue"]?.DeepClone(), ["epochCount"] = t["epochCount"]?.DeepClone(),
            ["testAccuracy"] = t["testAccuracy"]?.DeepClone(),
        }
        : null;

    /// <summary>A number of a JSON line, whether it was built here (int or double) or parsed; NaN when absent.</summary>
    internal static double D(JsonObject j, string key) =>
        j[key] is JsonValue v ? double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : double.NaN;

    private static string? Str(JsonObject j, string key) => j[key] is JsonValue v ? v.ToString() : null;

    internal static string? LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null;
}
