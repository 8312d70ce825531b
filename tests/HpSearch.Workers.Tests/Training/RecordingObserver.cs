using HpSearch.Workers.Training;

namespace HpSearch.Workers.Tests.Training;

/// <summary>Keeps every report; stops after <see cref="StopAfter"/> epochs when set.</summary>
internal sealed class RecordingObserver : ITrainingObserver
{
    public List<EpochReport> Epochs { get; } = [];
    public Dictionary<string, double> Summary { get; } = [];
    public int? StopAfter { get; init; }
    public (string Trainer, string Device)? Run { get; private set; }

    public ValueTask OnRunAsync(string trainer, string device, CancellationToken cancellationToken)
    {
        Run = (trainer, device);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnSummaryAsync(string key, double value, CancellationToken cancellationToken)
    {
        Summary[key] = value;
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> OnEpochAsync(EpochReport epoch, CancellationToken cancellationToken)
    {
        Epochs.Add(epoch);
        return ValueTask.FromResult(StopAfter is not { } s || Epochs.Count < s);
    }
}
