using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HpSearch.Workers.Data;

/// <summary>Fetches and converts the configured data sets once at start-up (Workers:PrefetchDatasets), so the first
/// trial does not pay for the download. Failures are logged, never hidden: the trial that needs the set reports it again.</summary>
public sealed partial class DatasetWarmup(DatasetCatalog datasets, WorkerOptions options, ILogger<DatasetWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled) return;
        foreach (var name in options.PrefetchDatasets)
        {
            try
            {
                var started = DateTime.UtcNow;
                var set = await datasets.LoadAsync(name, stoppingToken);
                LogReady(logger, name, set.TrainCount, set.ValCount, set.TestCount, (DateTime.UtcNow - started).TotalSeconds);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(logger, e, name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Data set {Name} ready: {Train}/{Val}/{Test} examples in {Seconds:F1} s")]
    private static partial void LogReady(ILogger logger, string name, int train, int val, int test, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Data set {Name} could not be prepared")]
    private static partial void LogFailed(ILogger logger, Exception exception, string name);
}
