using HpSearch.Domain.EarlyStopping;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HpSearch.Persistence.Experiments;

/// <summary>
/// The stopping rule's inputs after one epoch, in one statement that reads no other trial's curve: the trial's own scores
/// (its primary key range) and the answer to the rule's <see cref="PeerQuestion"/> from that epoch's order statistics
/// (<c>epoch_orders</c>, kept by triggers on <c>trial_scores</c>): the group's count and the keys at and next to a pivot — the
/// running-sum middle the triggers keep, or the k-th best score ASHA's asker moves — O(log n) index lookups whatever the number
/// of trials (decision 0023).
/// </summary>
public static class EpochPeers
{
    private const string Own = "ARRAY(SELECT o.score FROM trial_scores o WHERE o.trial_id = @trial ORDER BY o.epoch)";

    /// <summary>The trial's own curve of scores (epoch 1 first) and, when <paramref name="question"/> is set, its answer.</summary>
    public static async Task<(double[] Own, PeerAnswer? Answer)> AskAsync(HpSearchDb db, Guid experimentId, string? stage, Guid trialId,
        PeerQuestion? question, CancellationToken cancellationToken)
    {
        // The median rule reads the running-sum keys at the middle (hps_epoch_middle, no lock); ASHA moves the score pivot to its
        // k-th best (hps_epoch_order, which locks the group's row and stores the pivot where it left it).
        var sql = question is null
            ? $"""SELECT {Own} AS "Own", 0 AS "Count", ARRAY[]::int[] AS "Ranks", ARRAY[]::float8[] AS "Values", ARRAY[]::uuid[] AS "Trials", NULL::float8 AS "OwnSum" """
            : $"""
                SELECT {Own} AS "Own", q.n AS "Count", q.ranks AS "Ranks", q.vals AS "Values", q.trials AS "Trials",
                    (SELECT s.running_sum FROM trial_scores s WHERE s.trial_id = @trial AND s.epoch = @epoch) AS "OwnSum"
                FROM {(question.Statistic == PeerStatistic.RungThreshold ? "hps_epoch_order(@experiment, @stage, @epoch, @eta)" : "hps_epoch_middle(@experiment, @stage, @epoch)")} q
                """;
        var eta = question?.Statistic switch
        {
            null => 0,
            PeerStatistic.RungThreshold => Math.Max(1, question.ReductionFactor),
            PeerStatistic.MedianOfRunningMeans => 0,
            _ => throw new ArgumentOutOfRangeException(nameof(question)),
        };
        var rows = await db.Database.SqlQueryRaw<Row>(sql,
            new NpgsqlParameter("trial", trialId), new NpgsqlParameter("experiment", experimentId),
            new NpgsqlParameter("stage", stage ?? ""), new NpgsqlParameter("epoch", question?.Epoch ?? 0),
            new NpgsqlParameter("eta", eta)).ToListAsync(cancellationToken);
        var row = rows[0];
        if (question is null) return (row.Own, null);
        var window = row.Ranks.Select((r, i) => new OrderKey(r, row.Values[i], row.Trials[i])).ToList();
        if (question.Statistic == PeerStatistic.RungThreshold)
        {
            // The pivot sits at the k-th best: rank n − max(1, ⌊n/η⌋) in ascending order, the asking trial included.
            var threshold = window.Count == 0 ? double.NegativeInfinity : window[0].Value;
            return (row.Own, new PeerAnswer(row.Count, threshold, threshold));
        }
        // A running mean is the running sum over the epochs summed, as PeerAnswer.RunningMean divides it.
        var (count, first, second) = OrderWindow.MiddleOfOthers(row.Count, window, row.OwnSum is { } sum ? new OrderKey(-1, sum, trialId) : null);
        var t = question.Epoch;
        return (row.Own, new PeerAnswer(count, first / t, second / t));
    }

    private sealed class Row
    {
        public double[] Own { get; set; } = [];
        public int Count { get; set; }
        public int[] Ranks { get; set; } = [];
        public double[] Values { get; set; } = [];
        public Guid[] Trials { get; set; } = [];
        public double? OwnSum { get; set; }
    }
}
