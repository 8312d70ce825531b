using HpSearch.Domain.EarlyStopping;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Strategies;
using HpSearch.Persistence;
using HpSearch.Persistence.Trials;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Persistence.Experiments;

/// <summary>
/// The one epoch step every trial takes, whoever trains it (a worker's trial job, or a client over ask/tell): store the
/// epoch fenced on the attempt, then see whether the experiment was cancelled, then ask the spec's stopping rule about the
/// trial against every other trial. Both paths call this, so a client's trial is pruned exactly as a worker's would be.
/// </summary>
public static class TrialEpochs
{
    /// <summary>True when the spec has a stopping rule that applies to a trial with these options and epochs.</summary>
    public static bool Stops(ExperimentSpec spec, TrialOptions? options, int maxEpochs) =>
        options is not { NoStopping: true } && StoppingRules.Create(spec.EarlyStopping, spec.Objective, maxEpochs) is not null;

    /// <summary>The trial's best value of the objective and its epoch once <paramref name="value"/> at <paramref name="epoch"/>
    /// is counted (a non-finite value never becomes the best).</summary>
    public static (double? Best, int? BestEpoch) WithEpoch(Objective objective, double? best, int? bestEpoch, int epoch, double value) =>
        double.IsFinite(value) && (best is null || objective.IsBetter(value, best.Value)) ? (value, epoch) : (best, bestEpoch);

    /// <summary>Stores one epoch of <paramref name="attempt"/> and decides whether the trial goes on.</summary>
    public static async Task<EpochVerdict> RecordAsync(HpSearchDb db, ExperimentSpec spec, Guid experimentId, Guid trialId, int trialNumber,
        int attempt, bool stops, int epoch, IReadOnlyDictionary<string, double> metrics, string? layersJson, double? best, int? bestEpoch,
        CancellationToken cancellationToken)
    {
        if (!await TrialWrites.WriteEpochAsync(db, trialId, attempt, epoch, metrics, layersJson, best, bestEpoch, cancellationToken))
            return EpochVerdict.Stale;
        Observability.ServiceMetrics.EpochStored();
        var cancel = await db.Experiments.Where(e => e.Id == experimentId).Select(e => e.CancelRequested).SingleAsync(cancellationToken);
        if (cancel) return EpochVerdict.ExperimentCancelled;
        if (!stops) return EpochVerdict.GoOn;

        // The Domain's whole check: the spec's rule with the trial's own MaxEpochs, compared within its stage.
        var records = await ExperimentStore.LoadTrialRecordsAsync(db, experimentId, cancellationToken);
        var mine = records.FirstOrDefault(r => r.Number == trialNumber);
        if (mine is null) return EpochVerdict.GoOn;
        if (StoppingRules.Check(spec, mine, records) is not { } decision) return EpochVerdict.GoOn;
        Observability.ServiceMetrics.Stopped(decision.Rule, decision.Pruned);
        return EpochVerdict.Stop(decision);
    }
}
