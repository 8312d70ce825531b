using HpSearch.Domain.Experiments;
using HpSearch.Persistence;
using HpSearch.Persistence.Experiments;
using HpSearch.Persistence.Model;
using HpSearch.Persistence.Trials;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Api.Experiments;

/// <summary>What an export adds for an experiment with several objectives: each trial's value of every objective (read at
/// one epoch, as the front compares them) and whether it is on the stored front.</summary>
public sealed class ObjectiveValues
{
    private readonly IReadOnlyList<Objective> _objectives;
    private readonly HashSet<int> _front;

    private ObjectiveValues(IReadOnlyList<Objective> objectives, HashSet<int> front) => (_objectives, _front) = (objectives, front);

    /// <summary>The objectives' metric names, in the spec's order.</summary>
    public IReadOnlyList<string> Metrics => _objectives.Select(o => o.Metric).ToList();

    /// <summary>Null for a single objective (its export is unchanged).</summary>
    public static ObjectiveValues? For(Experiment experiment)
    {
        var stored = StoredObjectives.Objectives(experiment);
        if (stored.Count < 2) return null;
        var front = StoredObjectives.Front(experiment).Select(m => m.Number).ToHashSet();
        return new ObjectiveValues(stored.Select(o => new Objective(o.Metric, o.Direction == "maximize")).ToList(), front);
    }

    public bool OnFront(int number) => _front.Contains(number);

    /// <summary>The values of one page of trials, by trial id (absent: no epoch reports every objective).</summary>
    public async Task<Dictionary<Guid, double[]>> OfAsync(HpSearchDb db, IReadOnlyList<Guid> trialIds, CancellationToken cancellationToken)
    {
        var rows = await db.TrialEpochs.AsNoTracking().Where(e => trialIds.Contains(e.TrialId)).OrderBy(e => e.Epoch).ToListAsync(cancellationToken);
        var result = new Dictionary<Guid, double[]>();
        foreach (var g in rows.GroupBy(r => r.TrialId))
        {
            var record = new TrialRecord(0, TrialStatus.Completed, new Dictionary<string, object>(),
                g.Select(r => new EpochPoint(r.Epoch, EpochColumns.Read(r))).ToList());
            if (record.ObjectiveValues(_objectives) is { } values) result[g.Key] = values;
        }
        return result;
    }
}
