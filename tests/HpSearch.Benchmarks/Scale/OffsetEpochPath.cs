using HpSearch.Domain.EarlyStopping;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence;
using HpSearch.Persistence.Trials;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HpSearch.Benchmarks.Scale;

/// <summary>
/// The epoch step as main had it between decisions 0018 and 0023, kept callable as the benchmark's peer for the maintained order
/// statistics: the same store and progress, then the rule's figures by a count and an OFFSET along the whole index range of that
/// epoch (the median rule's "others" filter reads each entry's heap row). Its store fires the order triggers too, so its figures
/// include their cost (slightly slower than main's own step).
/// </summary>
public static class OffsetEpochPath
{
    private const string Own = "ARRAY(SELECT o.score FROM trial_scores o WHERE o.trial_id = @trial ORDER BY o.epoch)";
    private const string Group = "experiment_id = @experiment AND stage_key = @stage AND epoch = @epoch";

    public static async Task<StopDecision?> RecordAsync(HpSearchDb db, ExperimentSpec spec, Guid experimentId, Guid trialId, int trialNumber,
        int epoch, IReadOnlyDictionary<string, double> metrics, double best, CancellationToken cancellationToken)
    {
        var value = metrics.TryGetValue(spec.Objective.Metric, out var v) ? v : double.NaN;
        var written = await TrialWrites.WriteEpochAsync(db, trialId, 1, epoch, metrics, null, best, epoch, Scores.Of(value, spec.Objective), cancellationToken)
            ?? throw new InvalidOperationException("the trial is not running");
        if (written.CancelRequested) throw new InvalidOperationException("cancelled");
        if (StoppingRules.For(spec, written.Stage, written.MaxEpochs) is not { } rule) return null;
        var question = rule.Asks(epoch);
        var sql = question?.Statistic switch
        {
            null => $"""SELECT {Own} AS "Own", 0 AS "Count", NULL::float8 AS "First", NULL::float8 AS "Second" """,
            PeerStatistic.RungThreshold => $"""
                SELECT {Own} AS "Own", c.n AS "Count",
                    (SELECT s.score FROM trial_scores s WHERE s.{Group} ORDER BY s.score DESC OFFSET greatest(1, c.n / @eta) - 1 LIMIT 1) AS "First",
                    NULL::float8 AS "Second"
                FROM (SELECT count(*)::int AS n FROM trial_scores WHERE {Group}) c
                """,
            _ => $"""
                SELECT {Own} AS "Own", c.n AS "Count",
                    (SELECT s.running_sum FROM trial_scores s WHERE s.{Group} AND s.trial_id <> @trial ORDER BY s.running_sum OFFSET (c.n - 1) / 2 LIMIT 1) AS "First",
                    (SELECT s.running_sum FROM trial_scores s WHERE s.{Group} AND s.trial_id <> @trial ORDER BY s.running_sum OFFSET c.n / 2 LIMIT 1) AS "Second"
                FROM (SELECT count(*)::int AS n FROM trial_scores WHERE {Group} AND trial_id <> @trial) c
                """,
        };
        var row = (await db.Database.SqlQueryRaw<Row>(sql,
            new NpgsqlParameter("trial", trialId), new NpgsqlParameter("experiment", experimentId),
            new NpgsqlParameter("stage", written.Stage ?? ""), new NpgsqlParameter("epoch", epoch),
            new NpgsqlParameter("eta", Math.Max(1, question?.ReductionFactor ?? 1))).ToListAsync(cancellationToken))[0];
        PeerAnswer? answer = question?.Statistic switch
        {
            null => null,
            PeerStatistic.RungThreshold => new PeerAnswer(row.Count, row.First ?? double.NegativeInfinity, row.First ?? double.NegativeInfinity),
            _ => new PeerAnswer(row.Count, (row.First ?? double.NegativeInfinity) / epoch, (row.Second ?? double.NegativeInfinity) / epoch),
        };
        var curve = new TrialCurve(trialNumber, row.Own.Select(s => Scores.ToValue(s, spec.Objective)).ToList(), false, written.Stage);
        return rule.Decide(curve, answer);
    }

    private sealed class Row
    {
        public double[] Own { get; set; } = [];
        public int Count { get; set; }
        public double? First { get; set; }
        public double? Second { get; set; }
    }
}
