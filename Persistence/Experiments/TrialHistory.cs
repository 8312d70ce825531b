using HpSearch.Domain.EarlyStopping;
using HpSearch.Domain.Experiments;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Persistence.Experiments;

/// <summary>
/// What a sampling strategy reads of an experiment's trials, in one narrow query: each trial's number, status, parameters,
/// stage, options, summary and epochs, and per epoch the objective only (from <c>trial_scores</c>, not the epoch rows with
/// their other metrics and layer statistics). The one part of a controller run that still grows with the experiment: a
/// model-based sampler (TPE) learns from every finished trial (decision 0018).
/// </summary>
public static class TrialHistory
{
    /// <summary>Every trial of the experiment in number order, with its id, its epochs carrying <paramref name="objective"/> alone.</summary>
    public static async Task<List<(Guid Id, TrialRecord Record)>> LoadAsync(HpSearchDb db, Guid experimentId, Objective objective,
        CancellationToken cancellationToken)
    {
        var rows = await db.Database.SqlQuery<Row>($"""
            SELECT t.id AS "Id", t.number AS "Number", t.status AS "Status", t.params_json AS "ParamsJson", t.stage AS "Stage",
                   t.options_json AS "OptionsJson", t.summary_json AS "SummaryJson", t.max_epochs AS "MaxEpochs",
                   ARRAY(SELECT s.score FROM trial_scores s WHERE s.trial_id = t.id ORDER BY s.epoch) AS "Scores"
            FROM trials t WHERE t.experiment_id = {experimentId} ORDER BY t.number
            """).ToListAsync(cancellationToken);
        return rows.Select(r => (r.Id, ExperimentStore.ToRecord(r.Number, Lifecycle.ParseTrialStatus(r.Status), r.ParamsJson, r.Stage,
            r.OptionsJson, r.SummaryJson, r.MaxEpochs, Points(r.Scores, objective)))).ToList();
    }

    private static List<EpochPoint> Points(double[] scores, Objective objective)
    {
        var points = new List<EpochPoint>(scores.Length);
        for (var i = 0; i < scores.Length; i++)
        {
            var value = Scores.ToValue(scores[i], objective);
            // A non-finite value was stored as no value, as the epoch row's column is.
            var metrics = double.IsFinite(value) ? new Dictionary<string, double>(1) { [objective.Metric] = value } : new Dictionary<string, double>();
            points.Add(new EpochPoint(i + 1, metrics));
        }
        return points;
    }

    private sealed class Row
    {
        public Guid Id { get; set; }
        public int Number { get; set; }
        public string Status { get; set; } = "";
        public string ParamsJson { get; set; } = "";
        public string? Stage { get; set; }
        public string? OptionsJson { get; set; }
        public string? SummaryJson { get; set; }
        public int MaxEpochs { get; set; }
        public double[] Scores { get; set; } = [];
    }
}
