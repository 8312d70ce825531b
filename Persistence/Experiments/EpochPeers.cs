using HpSearch.Domain.EarlyStopping;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HpSearch.Persistence.Experiments;

/// <summary>
/// The stopping rule's inputs after one epoch, in one statement that reads no other trial's curve: the trial's own scores
/// (its primary key range) and the answer to the rule's <see cref="PeerQuestion"/> from the rows of that epoch alone — a count
/// and an OFFSET along <c>ix_trial_scores_epoch_score</c> (a rung's k-th best) or <c>ix_trial_scores_epoch_running_sum</c>
/// (the middle running means). What remains O(trials at that epoch) is the index-only count and offset (decision 0018).
/// </summary>
public static class EpochPeers
{
    private const string Own = "ARRAY(SELECT o.score FROM trial_scores o WHERE o.trial_id = @trial ORDER BY o.epoch)";
    private const string Group = "experiment_id = @experiment AND stage_key = @stage AND epoch = @epoch";

    /// <summary>The trial's own curve of scores (epoch 1 first) and, when <paramref name="question"/> is set, its answer.</summary>
    public static async Task<(double[] Own, PeerAnswer? Answer)> AskAsync(HpSearchDb db, Guid experimentId, string? stage, Guid trialId,
        PeerQuestion? question, CancellationToken cancellationToken)
    {
        var sql = question?.Statistic switch
        {
            null => $"""SELECT {Own} AS "Own", 0 AS "Count", NULL::float8 AS "First", NULL::float8 AS "Second" """,
            PeerStatistic.RungThreshold => $"""
                SELECT {Own} AS "Own", c.n AS "Count",
                    (SELECT s.score FROM trial_scores s WHERE s.{Group} ORDER BY s.score DESC OFFSET greatest(1, c.n / @eta) - 1 LIMIT 1) AS "First",
                    NULL::float8 AS "Second"
                FROM (SELECT count(*)::int AS n FROM trial_scores WHERE {Group}) c
                """,
            PeerStatistic.MedianOfRunningMeans => $"""
                SELECT {Own} AS "Own", c.n AS "Count",
                    (SELECT s.running_sum FROM trial_scores s WHERE s.{Group} AND s.trial_id <> @trial ORDER BY s.running_sum OFFSET (c.n - 1) / 2 LIMIT 1) AS "First",
                    (SELECT s.running_sum FROM trial_scores s WHERE s.{Group} AND s.trial_id <> @trial ORDER BY s.running_sum OFFSET c.n / 2 LIMIT 1) AS "Second"
                FROM (SELECT count(*)::int AS n FROM trial_scores WHERE {Group} AND trial_id <> @trial) c
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(question)),
        };
        var rows = await db.Database.SqlQueryRaw<Row>(sql,
            new NpgsqlParameter("trial", trialId), new NpgsqlParameter("experiment", experimentId),
            new NpgsqlParameter("stage", stage ?? ""), new NpgsqlParameter("epoch", question?.Epoch ?? 0),
            new NpgsqlParameter("eta", Math.Max(1, question?.ReductionFactor ?? 1))).ToListAsync(cancellationToken);
        var row = rows[0];
        if (question is null) return (row.Own, null);
        if (question.Statistic == PeerStatistic.RungThreshold)
            return (row.Own, new PeerAnswer(row.Count, row.First ?? double.NegativeInfinity, row.First ?? double.NegativeInfinity));
        // A running mean is the running sum over the epochs summed, as PeerAnswer.RunningMean divides it.
        var t = question.Epoch;
        return (row.Own, new PeerAnswer(row.Count, (row.First ?? double.NegativeInfinity) / t, (row.Second ?? double.NegativeInfinity) / t));
    }

    private sealed class Row
    {
        public double[] Own { get; set; } = [];
        public int Count { get; set; }
        public double? First { get; set; }
        public double? Second { get; set; }
    }
}
