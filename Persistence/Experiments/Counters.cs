using HpSearch.Persistence.Model;
using Microsoft.EntityFrameworkCore;

namespace HpSearch.Persistence.Experiments;

/// <summary>Reads of the trigger-kept <see cref="ExperimentCounters"/> (decision 0024): one primary-key lookup per experiment,
/// whatever the number of its trials. The experiment list, one experiment, the live summary, a trials page's total and the
/// importance cache key all read them here.</summary>
public static class Counters
{
    /// <summary>The counters of <paramref name="ids"/>; an experiment without trials has none.</summary>
    public static Task<Dictionary<Guid, ExperimentCounters>> ReadAsync(HpSearchDb db, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.ToList();
        return db.ExperimentCounters.AsNoTracking().Where(c => wanted.Contains(c.ExperimentId)).ToDictionaryAsync(c => c.ExperimentId, cancellationToken);
    }

    /// <summary>The counters of one experiment, zeros when it has no trials.</summary>
    public static async Task<ExperimentCounters> ReadAsync(HpSearchDb db, Guid id, CancellationToken cancellationToken) =>
        await db.ExperimentCounters.AsNoTracking().SingleOrDefaultAsync(c => c.ExperimentId == id, cancellationToken) ?? ExperimentCounters.None(id);
}
