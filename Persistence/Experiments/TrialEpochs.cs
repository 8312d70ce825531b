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

    /// <summary>Stores one epoch of <paramref name="attempt"/> and decides whether the trial goes on: at most three statements
    /// (store, progress, the rule's figures), none of which reads other trials' curves (decision 0018).</summary>
    public static async Task<EpochVerdict> RecordAsync(HpSearchDb db, ExperimentSpec spec, Guid experimentId, Guid trialId, int trialNumber,
        int attempt, bool stops, int epoch, IReadOnlyDictionary<string, double> metrics, string? layersJson, double? best, int? bestEpoch,
        CancellationToken cancellationToken)
    {
        // A child of the trial job's span (the dispatch's trace), or of the ask/tell request's.
        using var span = Observability.ServiceTracing.Source.StartActivity("trial.epoch");
        span?.SetTag(Observability.ServiceTracing.TrialTag, trialId.ToString());
        span?.SetTag(Observability.ServiceTracing.ExperimentTag, experimentId.ToString());
        span?.SetTag(Observability.ServiceTracing.EpochTag, epoch);
        var value = metrics.TryGetValue(spec.Objective.Metric, out var v) ? v : double.NaN;
        var written = await TrialWrites.WriteEpochAsync(db, trialId, attempt, epoch, metrics, layersJson, best, bestEpoch,
            Scores.Of(value, spec.Objective), cancellationToken);
        if (written is null) return EpochVerdict.Stale;
        Observability.ServiceMetrics.EpochStored();
        if (written.CancelRequested) return EpochVerdict.ExperimentCancelled;
        if (!stops) return EpochVerdict.GoOn;

        // The spec's rule with the trial's own MaxEpochs, compared within its stage, fed one figure about the other trials.
        if (StoppingRules.For(spec, written.Stage, written.MaxEpochs) is not { } rule) return EpochVerdict.GoOn;
        var question = rule.Asks(epoch);
        var (own, answer) = await EpochPeers.AskAsync(db, experimentId, written.Stage, trialId, question, cancellationToken);
        var curve = new TrialCurve(trialNumber, own.Select(s => Scores.ToValue(s, spec.Objective)).ToList(), false, written.Stage);
        if (curve.Epochs != epoch || rule.Decide(curve, answer) is not { } decision) return EpochVerdict.GoOn;
        Observability.ServiceMetrics.Stopped(decision.Rule, decision.Pruned);
        span?.SetTag("hpsearch.stopping.rule", decision.Rule);
        return EpochVerdict.Stop(decision);
    }
}
