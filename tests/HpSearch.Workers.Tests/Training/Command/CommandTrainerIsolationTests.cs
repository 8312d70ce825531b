using HpSearch.Domain.Strategies;
using HpSearch.Workers.Training;
using HpSearch.Workers.Training.Command;
using Microsoft.Extensions.Logging.Abstractions;

namespace HpSearch.Workers.Tests.Training.Command;

/// <summary>What a command trainer's program can reach and how long it may run: only configured variables, a whole process
/// group stopped, an overall time limit, bounded stdout lines, and placeholders expanded exactly once.</summary>
public sealed class CommandTrainerIsolationTests : IDisposable
{
    private const string Epoch = """printf '{"epoch":1,"trainLoss":1,"valLoss":1,"valAccuracy":0.5}\n'""";
    private readonly string _dir = Directory.CreateTempSubdirectory("hpsearch-iso-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private CommandTrainer Shell(string script, Action<CommandTrainerOptions>? configure = null)
    {
        var options = new CommandTrainerOptions
        {
            Name = "sh", Executable = "/bin/sh", Arguments = ["-c", script], WorkingDirectory = _dir, TimeoutSeconds = 30, GracePeriodSeconds = 1,
        };
        configure?.Invoke(options);
        return new CommandTrainer(options, NullLogger<CommandTrainer>.Instance);
    }

    private static TrainRequest Request(Dictionary<string, object>? p = null) => new(
        Guid.NewGuid(), 1, "synthetic-blobs", p ?? new Dictionary<string, object> { ["lr"] = 0.01 }, 3, 7, TrialOptions.Default, "cpu", 0);

    [Fact]
    public async Task TrainAsync_PassesOnlyConfiguredVariables_NotTheWorkersSecrets()
    {
        Environment.SetEnvironmentVariable("HPSEARCH_ISOLATION_SECRET", "connection-string-and-api-key");
        var observer = new RecordingObserver();
        await Shell("""printf '{"epoch":1,"trainLoss":1,"valLoss":1,"valAccuracy":0.5,"leaked":%d,"given":%d,"dataset":%d}\n' ${#HPSEARCH_ISOLATION_SECRET} ${#GIVEN} ${#HPSEARCH_DATASET}""",
            o => o.Environment["GIVEN"] = "abc").TrainAsync(Request(), observer, CancellationToken.None);
        var metrics = observer.Epochs.Single().Metrics;
        Assert.Equal(0, metrics["leaked"]);
        Assert.Equal(3, metrics["given"]);
        Assert.Equal("synthetic-blobs".Length, metrics["dataset"]);
    }

    [Fact]
    public async Task TrainAsync_StopsTheWholeProcessGroup_WhenItTimesOut()
    {
        if (ProcessSignals.SetSid is null) return; // no setsid on this system: only the child itself is signalled
        var pidFile = Path.Combine(_dir, "grandchild");
        var trainer = Shell($"sleep 300 & echo $! > {pidFile}; sleep 300", o => o.TimeoutSeconds = 1);
        await Assert.ThrowsAsync<TimeoutException>(() => trainer.TrainAsync(Request(), new RecordingObserver(), CancellationToken.None));
        var pid = int.Parse(File.ReadAllText(pidFile).Trim());
        for (var i = 0; i < 50 && Alive(pid); i++) await Task.Delay(100);
        Assert.False(Alive(pid), $"grandchild {pid} outlived its trial");
    }

    [Fact]
    public async Task TrainAsync_StopsTheProgram_AfterItsOverallTimeLimit()
    {
        // Prints often enough never to trip the silence limit.
        var trainer = Shell($"while true; do {Epoch}; sleep 0.2; done", o => o.MaxRunSeconds = 1);
        var e = await Assert.ThrowsAsync<TimeoutException>(() => trainer.TrainAsync(Request(), new RecordingObserver(), CancellationToken.None));
        Assert.Contains("longer than its limit", e.Message);
    }

    [Fact]
    public async Task TrainAsync_CutsAnOverlongLine_AndGoesOn()
    {
        var observer = new RecordingObserver();
        var outcome = await Shell($"head -c 2000000 /dev/zero | tr '\\0' x; echo; {Epoch}", o => o.MaxLineLength = 1000)
            .TrainAsync(Request(), observer, CancellationToken.None);
        Assert.Equal(TrainStatus.Completed, outcome.Status);
        Assert.Single(observer.Epochs);
        Assert.Equal(1, observer.Summary["malformedLines"]);
    }

    [Fact]
    public void Expand_NeverExpandsASubstitutedValueAgain()
    {
        var request = Request(new Dictionary<string, object> { ["a"] = "{b}", ["b"] = "x", ["c"] = "{paramsJson}" });
        Assert.Equal("{b} x {paramsJson} {unknown} 7", CommandTrainer.Expand("{a} {b} {c} {unknown} {seed}", request, "{\"p\":1}"));
    }

    private static bool Alive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return false;
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
