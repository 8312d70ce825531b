using System.Text.Json;
using System.Text.RegularExpressions;
using HpSearch.Testing.Hosting;

namespace HpSearch.Cli.Tests;

/// <summary>The command line against the real service (Kestrel, a fresh PostgreSQL database, the embedded worker pool):
/// submit, watch to completion, export, and the exit codes of each kind of failure.</summary>
public sealed partial class CommandLineTests : IClassFixture<CommandLineTests.Service>
{
    public sealed class Service : IAsyncLifetime
    {
        public KestrelApi Api { get; private set; } = null!;

        public async Task InitializeAsync() => Api = await KestrelApi.StartAsync(workers: true);

        public async Task DisposeAsync() => await Api.DisposeAsync();
    }

    private readonly Service _service;
    private readonly Dictionary<string, string> _env;
    private readonly string _dir = Directory.CreateTempSubdirectory("hpsearch-cli-").FullName;

    public CommandLineTests(Service service)
    {
        _service = service;
        _env = new() { ["HPSEARCH_URL"] = service.Api.BaseUrl, ["HPSEARCH_API_KEY"] = KestrelApi.ApiKey };
    }

    /// <summary>Three one- or two-epoch trials on a small synthetic set: seconds, not minutes.</summary>
    private const string TinySpec = """
        {
          "name": "cli-tiny", "trainer": "builtin", "dataset": "synthetic-blobs",
          "params": { "model": "mlp", "hidden": [8], "epochs": 2 },
          "searchSpace": { "lr": { "type": "logUniform", "low": 0.01, "high": 0.3 } },
          "strategy": { "kind": "random", "seed": 5 },
          "budget": { "maxTrials": 3, "parallelism": 2 }
        }
        """;

    private string File(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private Task<CliProcess.Result> Run(params string[] args) => CliProcess.RunAsync(_env, args);

    [GeneratedRegex(@"^completed: cli-tiny \(([0-9a-f-]{36})\)$", RegexOptions.Multiline)]
    private static partial Regex Completed();

    [Fact]
    public async Task SubmitWatch_FollowsToCompletion_ThenShowTrialsAndExportAgree()
    {
        var watched = await Run("submit", File("tiny.json", TinySpec), "--watch", "--interval", "0.2");
        Assert.True(watched.ExitCode == 0, watched.Output + watched.Error);
        Assert.Matches(@"running: \d/3 trials \(completed \d, pruned \d, running \d, queued \d, failed \d\), best", watched.Output);
        Assert.Matches(@"completed: 3/3 trials \(completed 3, pruned 0, running 0, queued 0, failed 0\), best [0-9.]+ \(trial \d\), epochs saved 0", watched.Output);
        Assert.Matches(@"best trial \d: valAccuracy [0-9.]+; params epochs=2 hidden=\[8\] lr=[0-9.]+ model=mlp", watched.Output);
        var id = Completed().Match(watched.Output).Groups[1].Value;
        Assert.NotEmpty(id);

        var show = await Run("show", id);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("status\tcompleted", show.Output);
        Assert.Contains("trials\t3/3 finished: 3 completed", show.Output);

        var trials = await Run("trials", id, "--sort", "value");
        Assert.Equal(0, trials.ExitCode);
        var rows = trials.Output.TrimEnd().Split('\n');
        Assert.Equal("number\tstatus\tepochs\tbest\tparams", rows[0]);
        Assert.Equal(3, rows.Length - 1);
        var values = rows[1..].Select(r => double.Parse(r.Split('\t')[3], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(values.OrderByDescending(v => v), values);

        var csv = await Run("export", id, "--csv");
        Assert.Equal(0, csv.ExitCode);
        var lines = csv.Output.TrimEnd().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Contains("lr", lines[0]);

        var json = await Run("export", id, "--json");
        Assert.Equal(0, json.ExitCode);
        using var exported = JsonDocument.Parse(json.Output);
        Assert.Equal(3, exported.RootElement.GetArrayLength());
        Assert.All(exported.RootElement.EnumerateArray(), t => Assert.Equal("completed", t.GetProperty("status").GetString()));

        var ls = await Run("ls", "--json");
        using var listed = JsonDocument.Parse(ls.Output);
        Assert.Contains(listed.RootElement.GetProperty("items").EnumerateArray(), e => e.GetProperty("id").GetString() == id);

        // The best trial's checkpoint is kept (keepTop 1 by default) and downloads to a file of the listed size.
        var artifacts = await Run("artifacts", "ls", id, "--json");
        Assert.True(artifacts.ExitCode == 0, artifacts.Output + artifacts.Error);
        using var kept = JsonDocument.Parse(artifacts.Output);
        var checkpoint = Assert.Single(kept.RootElement.EnumerateArray());
        var target = Path.Combine(_dir, "best.bin");
        var get = await Run("artifacts", "get", checkpoint.GetProperty("trialId").GetString()!, checkpoint.GetProperty("name").GetString()!, "-o", target);
        Assert.True(get.ExitCode == 0, get.Output + get.Error);
        Assert.Equal(checkpoint.GetProperty("sizeBytes").GetInt64(), new FileInfo(target).Length);
        var missing = await Run("artifacts", "get", checkpoint.GetProperty("trialId").GetString()!, "nothing.bin", "-o", target);
        Assert.Equal(4, missing.ExitCode);
    }

    /// <summary>Four trials trading validation accuracy against model size (hidden units).</summary>
    private const string TwoObjectiveSpec = """
        {
          "name": "cli-pareto", "trainer": "builtin", "dataset": "synthetic-blobs",
          "params": { "model": "mlp", "epochs": 2 },
          "searchSpace": { "lr": { "type": "logUniform", "low": 0.01, "high": 0.3 }, "hidden": { "type": "int", "low": 2, "high": 32, "log": true } },
          "objectives": [{ "metric": "valAccuracy", "direction": "maximize" }, { "metric": "parameters", "direction": "minimize" }],
          "strategy": { "kind": "random", "seed": 5 },
          "budget": { "maxTrials": 4, "parallelism": 2 }
        }
        """;

    [GeneratedRegex(@"^completed: cli-pareto \(([0-9a-f-]{36})\)$", RegexOptions.Multiline)]
    private static partial Regex CompletedPareto();

    [Fact]
    public async Task LsShowAndWatch_ShowTheFrontAndEachObjectivesBestOnIt_ForTwoObjectives()
    {
        var watched = await Run("submit", File("pareto.json", TwoObjectiveSpec), "--watch", "--interval", "0.2");
        Assert.True(watched.ExitCode == 0, watched.Output + watched.Error);
        Assert.Matches(@"completed: 4/4 trials \(completed 4, [^)]*\), front \d: max valAccuracy [0-9.]+, min parameters \d+, epochs saved 0", watched.Output);
        var id = CompletedPareto().Match(watched.Output).Groups[1].Value;
        Assert.NotEmpty(id);

        // The expected cell from the API's own front: its size and each objective's best over its members.
        using var detail = JsonDocument.Parse((await Run("show", id, "--json")).Output);
        var front = detail.RootElement.GetProperty("front").EnumerateArray().Select(m => m.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToList();
        Assert.NotEmpty(front);
        string N(double v) => v.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
        var expected = $"front {front.Count}: max valAccuracy {N(front.Max(v => v[0]))}, min parameters {N(front.Min(v => v[1]))}";

        var ls = await Run("ls", "-q", "cli-pareto");
        Assert.Equal(0, ls.ExitCode);
        var rows = ls.Output.TrimEnd().Split('\n');
        Assert.Equal("id\tname\tstatus\tstrategy\ttrials\tbest", rows[0]);
        Assert.Equal(expected, rows.Single(r => r.StartsWith(id, StringComparison.Ordinal)).Split('\t')[5]);

        var show = await Run("show", id);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("objective\tvalAccuracy (maximize), parameters (minimize)", show.Output);
        Assert.Contains($"front\t{expected}\n", show.Output);
        Assert.Matches(@"front trials\ttrial \d: [0-9.]+, \d+", show.Output);

        // One objective keeps its single best value in the same column.
        var single = (await Run("submit", File("single.json", TinySpec), "--watch", "--interval", "0.2")).Output;
        var singleId = Completed().Match(single).Groups[1].Value;
        var singleRow = (await Run("ls", "-q", "cli-tiny")).Output.Split('\n').Single(r => r.StartsWith(singleId, StringComparison.Ordinal));
        Assert.Matches(@"^[0-9.]+$", singleRow.Split('\t')[5]);
    }

    [Fact]
    public async Task Submit_PrintsTheIdAlone_WhenNotOnATerminal_AndCancelStopsIt()
    {
        var spec = TinySpec.Replace("\"maxTrials\": 3", "\"maxTrials\": 200").Replace("\"epochs\": 2", "\"epochs\": 50");
        var submitted = await Run("submit", File("long.json", spec));
        Assert.Equal(0, submitted.ExitCode);
        var id = submitted.Output.Trim();
        Assert.True(Guid.TryParse(id, out _), submitted.Output);

        var cancelled = await Run("cancel", id);
        Assert.Equal(0, cancelled.ExitCode);
        var watched = await Run("watch", id, "--interval", "0.2");
        Assert.Equal(1, watched.ExitCode); // cancelled, not completed
        Assert.Contains($"cancelled: cli-tiny ({id})", watched.Output);
    }

    [Fact]
    public async Task TagNoteAndResume_LabelAnExperiment_FindItByTag_AndContinueItAfterACancel()
    {
        var spec = TinySpec.Replace("\"maxTrials\": 3", "\"maxTrials\": 200").Replace("\"epochs\": 2", "\"epochs\": 50");
        var id = (await Run("submit", File("keep.json", spec))).Output.Trim();
        Assert.Equal(0, (await Run("cancel", id)).ExitCode);
        Assert.Equal(1, (await Run("watch", id, "--interval", "0.2")).ExitCode);

        var tag = $"cli-{Guid.NewGuid():N}"[..12];
        var tagged = await Run("tag", id, tag, "second");
        Assert.True(tagged.ExitCode == 0, tagged.Output + tagged.Error);
        Assert.Contains($"tags: {tag} second", tagged.Output);
        Assert.Contains("note: kept for later", (await Run("note", id, "kept for later")).Output);
        var ls = await Run("ls", "--tag", tag, "--sort", "name", "--json");
        using (var listed = JsonDocument.Parse(ls.Output))
            Assert.Equal([id], listed.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()));

        var resumed = await Run("resume", id);
        Assert.True(resumed.ExitCode == 0, resumed.Output + resumed.Error);
        Assert.Contains($"resuming {id} (cli-tiny): running", resumed.Output);
        Assert.NotEqual(0, (await Run("resume", id)).ExitCode); // running now: a conflict
        Assert.Equal(0, (await Run("cancel", id)).ExitCode);
    }

    [Fact]
    public async Task ExitCodes_TellUsageAuthNotFoundAndServerErrorsApart()
    {
        Assert.Equal(2, (await Run("frobnicate")).ExitCode);
        Assert.Equal(2, (await Run("submit", Path.Combine(_dir, "missing.json"))).ExitCode);
        Assert.Equal(2, (await Run("watch", Guid.NewGuid().ToString(), "--interval", "0")).ExitCode);

        var invalid = await Run("submit", File("bad.json", """{ "name": "bad", "dataset": "synthetic-blobs", "searchSpace": { "lr": { "type": "uniform", "low": 1, "high": 0 } } }"""));
        Assert.Equal(2, invalid.ExitCode);
        Assert.Contains("searchSpace.lr.low", invalid.Error);

        var wrongKey = await CliProcess.RunAsync(new Dictionary<string, string> { ["HPSEARCH_URL"] = _service.Api.BaseUrl, ["HPSEARCH_API_KEY"] = "not-the-key-0123456789" },
            "submit", File("tiny2.json", TinySpec));
        Assert.Equal(3, wrongKey.ExitCode);
        Assert.Contains("401", wrongKey.Error);

        var missing = await Run("show", Guid.NewGuid().ToString());
        Assert.Equal(4, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error);

        var down = await CliProcess.RunAsync(null, "ls", "--url", "http://127.0.0.1:9");
        Assert.Equal(5, down.ExitCode);
        Assert.Contains("cannot reach the service", down.Error);
    }

    [Fact]
    public async Task UrlAndKey_ComeFromTheConfigFile_WhenNeitherFlagNorEnvironmentGivesThem()
    {
        var config = File("config.json", JsonSerializer.Serialize(new { url = _service.Api.BaseUrl, apiKey = KestrelApi.ApiKey }));
        var created = await CliProcess.RunAsync(new Dictionary<string, string> { ["HPSEARCH_CONFIG"] = config }, "keys", "create", "from-config", "--scope", "read");
        Assert.True(created.ExitCode == 0, created.Error);
        Assert.StartsWith("hps_", created.Output.Trim());

        // A flag beats the config file: a wrong key from --api-key is refused.
        var flagged = await CliProcess.RunAsync(new Dictionary<string, string> { ["HPSEARCH_CONFIG"] = config }, "keys", "ls", "--api-key", "wrong-key-0123456789");
        Assert.Equal(3, flagged.ExitCode);
    }

    [Fact]
    public async Task Schedules_AreCreatedListedPausedResumedAndDeleted()
    {
        var body = $$"""{ "name": "cli-nightly", "cron": "0 3 * * *", "timeZone": "UTC", "template": {{TinySpec}} }""";
        var created = await Run("schedules", "create", File("schedule.json", body), "--json");
        Assert.True(created.ExitCode == 0, created.Error);
        var id = JsonDocument.Parse(created.Output).RootElement.GetProperty("id").GetString()!;

        var paused = await Run("schedules", "pause", id);
        Assert.Equal(0, paused.ExitCode);
        Assert.Contains("paused", paused.Output);
        var listed = await Run("schedules", "ls");
        Assert.Contains(listed.Output.Split('\n'), l => l.StartsWith(id) && l.Contains("\tpaused\t"));
        var resumed = await Run("schedules", "resume", id);
        Assert.Contains("enabled", resumed.Output);
        Assert.Equal(0, (await Run("schedules", "delete", id)).ExitCode);
        Assert.Equal(4, (await Run("schedules", "pause", id)).ExitCode);
    }
}
