using HpSearch.Domain.EarlyStopping;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence;
using HpSearch.Persistence.Experiments;
using HpSearch.Persistence.Trials;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Benchmarks.Scale;

/// <summary>
/// The epoch step as main had it before decision 0018, kept callable as the benchmark's "before" peer: store the epoch, read the
/// cancel flag, then reload every trial and epoch row of the experiment and ask the Domain's whole-curve check.
/// </summary>
public static class LegacyEpochPath
{
    public static async Task<StopDecision?> RecordAsync(HpSearchDb db, ExperimentSpec spec, Guid experimentId, Guid trialId, int trialNumber,
        int epoch, IReadOnlyDictionary<string, double> metrics, CancellationToken cancellationToken)
    {
        var value = metrics.TryGetValue(spec.Objective.Metric, out var v) ? v : double.NaN;
        if (await TrialWrites.WriteEpochAsync(db, trialId, 1, epoch, metrics, null, value, epoch, Scores.Of(value, spec.Objective), cancellationToken) is null)
            throw new InvalidOperationException("the trial is not running");
        if (await db.Experiments.Where(e => e.Id == experimentId).Select(e => e.CancelRequested).SingleAsync(cancellationToken))
            throw new InvalidOperationException("cancelled");
        var records = await ExperimentStore.LoadTrialRecordsAsync(db, experimentId, cancellationToken);
        var mine = records.First(r => r.Number == trialNumber);
        return StoppingRules.Check(spec, mine, records);
    }
}
