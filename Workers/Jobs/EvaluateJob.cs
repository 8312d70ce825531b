using HpSearch.Domain.Strategies;
using HpSearch.Persistence;
using HpSearch.Workers.Experiments;
using HpSearch.Workers.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Quartz;

namespace HpSearch.Workers.Jobs;

/// <summary>Evaluates the experiment's chosen trial once on the test split, from its best epoch's checkpoint,
/// then lets the controller complete the experiment. The checkpoint is consumed, so this never happens twice.</summary>
public sealed partial class EvaluateJob(
    IDbContextFactory<HpSearchDb> dbFactory,
    TrainerCatalog catalog,
    JobScheduling jobs,
    ILogger<EvaluateJob> logger) : IJob
{
    public const string TrialIdKey = "trialId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var trialId = Guid.Parse(context.MergedJobDataMap.GetString(TrialIdKey)!);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var trial = await db.Trials.Include(t => t.Experiment).SingleOrDefaultAsync(t => t.Id == trialId, cancellationToken);
        if (trial?.Experiment is null) return;
        var checkpoint = await db.Checkpoints.SingleOrDefaultAsync(c => c.TrialId == trialId, cancellationToken);
        if (checkpoint is not null && trial.TestAccuracy is null)
        {
            try
            {
                var spec = ExperimentStore.ParseSpec(trial.Experiment, catalog);
                var options = WireJson.Deserialize<TrialOptions>(trial.OptionsJson) ?? TrialOptions.Default;
                var request = new TrainRequest(trial.Id, trial.Attempt, spec.Dataset, WireJson.ParseParams(trial.ParamsJson),
                    trial.MaxEpochs, trial.Seed, options, trial.Experiment.Pool);
                var result = await catalog.Get(spec.Trainer).EvaluateTestAsync(request, checkpoint.Data, cancellationToken);
                if (result is not null)
                {
                    trial.TestAccuracy = result.TestAccuracy;
                    trial.TestLoss = result.TestLoss;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogEvaluationFailed(logger, e, trialId);
                trial.Error = $"test evaluation failed: {e.Message}";
            }
            db.Checkpoints.Remove(checkpoint);
            trial.UpdatedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync(cancellationToken);
        }
        await jobs.TriggerControllerAsync(trial.ExperimentId, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Test evaluation of trial {TrialId} failed")]
    private static partial void LogEvaluationFailed(ILogger logger, Exception exception, Guid trialId);
}
