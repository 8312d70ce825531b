using HpSearch.Domain.Strategies;
using HpSearch.Testing;
using HpSearch.Workers.Training;
using Microsoft.Extensions.Logging.Abstractions;
using HpSearch.Workers.Training.Command;

namespace HpSearch.Workers.Tests.Training.Command;

/// <summary>The command-trainer protocol against a standard-library Python program (fake_trainer.py).</summary>
public sealed class CommandTrainerTests : IDisposable
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Training", "fake_trainer.py");
    private readonly string _dir = Directory.CreateTempSubdirectory("hpsearch-cmd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PidFile => Path.Combine(_dir, "pid");

    private CommandTrainer Trainer(string mode, int timeoutSeconds = 30, int graceSeconds = 2, params string[] extra) => new(new CommandTrainerOptions
    {
        Name = "fake",
        Executable = "/usr/bin/python3",
        Arguments = [Script, mode, "--pidfile", PidFile, .. extra],
        WorkingDirectory = _dir,
        Environment = { ["PYTHONUNBUFFERED"] = "1" },
        TimeoutSeconds = timeoutSeconds,
        GracePeriodSeconds = graceSeconds,
    }, NullLogger<CommandTrainer>.Instance);

    private static TrainRequest Request(int epochs = 4, string pool = "cpu", int slot = 0) => new(
        Guid.NewGuid(), 1, "synthetic-blobs", new Dictionary<string, object> { ["lr"] = 0.01, ["hidden"] = 64L }, epochs, 7,
        TrialOptions.Default, pool, slot);

    private int Pid() => int.Parse(File.ReadAllText(PidFile));

    [Fact]
    public async Task TrainAsync_StreamsEveryEpoch_WithItsMetrics()
    {
        var observer = new RecordingObserver();
        var outcome = await Trainer("normal").TrainAsync(Request(epochs: 4), observer, CancellationToken.None);

        Assert.Equal(TrainStatus.Completed, outcome.Status);
        Assert.Equal([1, 2, 3, 4], observer.Epochs.Select(e => e.Epoch));
        foreach (var e in observer.Epochs)
            foreach (var k in new[] { "trainLoss", "valLoss", "valAccuracy", "lr" })
                Assert.True(double.IsFinite(e.Metrics[k]), k);
        Assert.Equal(0.01, observer.Epochs[0].Metrics["lr"], 12); // the parameter reached the program through HPSEARCH_PARAMS
        Assert.False(observer.Epochs[0].Metrics.ContainsKey("cudaDevice")); // no GPU pool, no CUDA_VISIBLE_DEVICES
        Assert.Empty(observer.Summary);
    }

    [Fact]
    public async Task TrainAsync_GivesEachGpuSlotItsOwnDevice()
    {
        var observer = new RecordingObserver();
        await Trainer("normal").TrainAsync(Request(epochs: 1, pool: "gpu", slot: 1), observer, CancellationToken.None);
        Assert.Equal(1, observer.Epochs.Single().Metrics["cudaDevice"]);
    }

    [Fact]
    public async Task TrainAsync_StopsTheProcess_WhenTheObserverSaysStop()
    {
        var observer = new RecordingObserver { StopAfter = 2 };
        var outcome = await Trainer("normal", extra: ["--sleep", "0.3"]).TrainAsync(Request(epochs: 50), observer, CancellationToken.None);

        Assert.Equal(TrainStatus.Stopped, outcome.Status);
        Assert.Equal(2, observer.Epochs.Count);
        Assert.False(Processes.IsAlive(Pid()));
    }

    [Fact]
    public async Task TrainAsync_KillsAProcessThatIgnoresSigterm_AfterTheGracePeriod()
    {
        var observer = new RecordingObserver { StopAfter = 1 };
        var outcome = await Trainer("normal", graceSeconds: 1, extra: ["--sleep", "0.2", "--ignore-term"])
            .TrainAsync(Request(epochs: 500), observer, CancellationToken.None);

        Assert.Equal(TrainStatus.Stopped, outcome.Status);
        Assert.False(Processes.IsAlive(Pid()));
    }

    [Fact]
    public async Task TrainAsync_Fails_WithTheTailOfStderr_WhenTheExitCodeIsNotZero()
    {
        var observer = new RecordingObserver();
        var e = await Assert.ThrowsAsync<CommandTrainerException>(() => Trainer("fail").TrainAsync(Request(epochs: 5), observer, CancellationToken.None));

        Assert.Equal(2, observer.Epochs.Count);
        Assert.Contains("exited with code 3", e.Message);
        Assert.Contains("RuntimeError: CUDA out of memory (pretend)", e.Message);
    }

    [Fact]
    public async Task TrainAsync_Fails_AndStopsTheProcess_WhenNoEpochArrivesWithinTheTimeout()
    {
        var observer = new RecordingObserver();
        var e = await Assert.ThrowsAsync<TimeoutException>(() => Trainer("hang", timeoutSeconds: 2).TrainAsync(Request(epochs: 5), observer, CancellationToken.None));

        Assert.Single(observer.Epochs);
        Assert.Contains("printed nothing for 2 s", e.Message);
        Assert.Contains("starting with", e.Message); // the stderr tail
        Assert.False(Processes.IsAlive(Pid()));
    }

    [Fact]
    public async Task TrainAsync_ReportsAMalformedLine_WithoutFailing()
    {
        var observer = new RecordingObserver();
        var outcome = await Trainer("malformed").TrainAsync(Request(epochs: 3), observer, CancellationToken.None);

        Assert.Equal(TrainStatus.Completed, outcome.Status);
        Assert.Equal([1, 2, 3], observer.Epochs.Select(e => e.Epoch));
        Assert.Equal(1, observer.Summary["malformedLines"]);
    }

    [Fact]
    public async Task TrainAsync_EndsDiverged_WhenTheLossIsNaN()
    {
        var observer = new RecordingObserver();
        var outcome = await Trainer("nan").TrainAsync(Request(epochs: 5), observer, CancellationToken.None);

        Assert.Equal(TrainStatus.Diverged, outcome.Status);
        Assert.Equal(2, observer.Epochs.Count);
        Assert.True(double.IsNaN(observer.Epochs[1].Metrics["trainLoss"]));
        Assert.False(Processes.IsAlive(Pid()));
    }

    [Fact]
    public void Expand_FillsParametersAndRunValues()
    {
        var request = Request();
        Assert.Equal("--lr=0.01 --hidden=64 --seed=7 --epochs=4 {unknown}",
            CommandTrainer.Expand("--lr={lr} --hidden={hidden} --seed={seed} --epochs={maxEpochs} {unknown}", request, "{}"));
        Assert.Equal("{\"a\":1}", CommandTrainer.Expand("{paramsJson}", request, "{\"a\":1}"));
    }

    [Theory]
    [InlineData("{\"epoch\":1,\"valAccuracy\":0.5}", true)]
    [InlineData("{\"epoch\":2,\"trainLoss\":NaN,\"valLoss\":-Infinity}", true)]
    [InlineData("{\"valAccuracy\":0.5}", false)]
    [InlineData("epoch 1 done", false)]
    [InlineData("[1,2]", false)]
    public void EpochLine_AcceptsOnlyProtocolLines(string line, bool ok)
    {
        var report = EpochLine.TryParse(line, out var error);
        Assert.Equal(ok, report is not null);
        Assert.Equal(ok, error is null);
    }
}
