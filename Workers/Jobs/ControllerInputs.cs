using HpSearch.Domain.Experiments;
using HpSearch.Persistence;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Workers.Jobs;

/// <summary>What a controller run reacts to, in one read: trials that finished, test evaluations done, a cancel request, the
/// experiment's status. Equal before and after a run means no trigger was missed while the run held the lock.</summary>
internal readonly record struct ControllerInputs(ExperimentStatus? Status, bool CancelRequested, int FinishedTrials, int EvaluatedTrials, int Checkpoints)
{
    public static async Task<ControllerInputs> ReadAsync(HpSearchDb db, Guid experimentId, CancellationToken cancellationToken)
    {
        var read = await db.Experiments.AsNoTracking().Where(e => e.Id == experimentId).Select(e => new ControllerInputs(
            e.Status,
            e.CancelRequested,
            e.Trials.Count(t => t.Status != TrialStatus.Queued && t.Status != TrialStatus.Running),
            e.Trials.Count(t => t.TestAccuracy != null),
            db.Checkpoints.Count(c => e.Trials.Any(t => t.Id == c.TrialId)))).SingleOrDefaultAsync(cancellationToken);
        return read;
    }
}
