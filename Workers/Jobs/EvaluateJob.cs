using HpSearch.Domain.Strategies;
using HpSearch.Persistence;
using HpSearch.Persistence.Experiments;
using HpSearch.Workers.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Hangfire;

namespace HpSearch.Workers.Jobs;

/// <summary>Evaluates the experiment's chosen trial once on the test split, from its best epoch's checkpoint,
/// then lets the controller complete the experiment. The checkpoint is consumed, so this never happens twice; a lost
/// evaluation job is queued again by the controller, which reconciliation runs for every open experiment.</summary>
public sealed partial class EvaluateJob(
    IDbContextFactory<HpSearchDb> dbFactory,
    TrainerCatalog catalog,
    JobQueue jobs,
    ILogger<EvaluateJob> logger)
{
    public async Task RunAsync(Guid trialId, CancellationToken cancellationToken)
    {
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
            catch (Exception e) when (e is not OperationCanceledException && !StoreFaults.IsStoreFault(e))
            {
                LogEvaluationFailed(logger, e, trialId);
                trial.Error = $"test evaluation failed: {e.Message}";
            }
            db.Checkpoints.Remove(checkpoint);
            trial.UpdatedAt = DateTimeOffset.UtcNow;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // A second evaluation of the same trial (re-queued by reconciliation) finished first: its result stands.
                LogEvaluatedElsewhere(logger, trialId);
            }
        }
        jobs.TriggerController(trial.ExperimentId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Test evaluation of trial {TrialId} was finished by another run")]
    private static partial void LogEvaluatedElsewhere(ILogger logger, Guid trialId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Test evaluation of trial {TrialId} failed")]
    private static partial void LogEvaluationFailed(ILogger logger, Exception exception, Guid trialId);
}
