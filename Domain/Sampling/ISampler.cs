using HpSearch.Domain.Experiments;
using HpSearch.Domain.Search;

namespace HpSearch.Domain.Sampling;

/// <summary>Suggests parameter values for a trial (Optuna's BaseSampler, reduced to what the controller needs).</summary>
public interface ISampler
{
    /// <summary>How many distinct suggestions exist; null when unbounded (random search).</summary>
    int? Size(SearchSpace space);

    /// <summary>Suggests trial <paramref name="trialNumber"/>'s values; deterministic for a given seed and number.</summary>
    IReadOnlyDictionary<string, object> Suggest(SearchSpace space, int trialNumber, IReadOnlyList<TrialRecord> history);
}
