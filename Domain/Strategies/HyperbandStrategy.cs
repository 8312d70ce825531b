using HpSearch.Domain.Experiments;
using HpSearch.Domain.Sampling;

namespace HpSearch.Domain.Strategies;

/// <summary>
/// <c>hyperband</c> (random configurations) and <c>bohb</c> (TPE configurations, Falkner et al., ICML 2018,
/// https://arxiv.org/abs/1807.01774): each new trial is put in a Hyperband bracket (<see cref="HyperbandOptions"/>), its
/// stage, and the stopping rule runs that bracket's successive halving (<see cref="EarlyStopping.StoppingRules.Check"/>).
/// </summary>
public sealed class HyperbandStrategy(ISampler sampler, HyperbandOptions options) : IStrategy
{
    private readonly SamplingStrategy _inner = new(sampler);

    public ISampler Sampler => _inner.Sampler;
    public HyperbandOptions Options { get; } = options;

    public StrategyDecision Next(ExperimentSpec spec, IReadOnlyList<TrialRecord> trials, int freeSlots) =>
        Next(spec, trials, freeSlots, TimeSpan.Zero);

    public StrategyDecision Next(ExperimentSpec spec, IReadOnlyList<TrialRecord> trials, int freeSlots, TimeSpan elapsed)
    {
        var d = _inner.Next(spec, trials, freeSlots, elapsed);
        var requests = d.NewTrials
            .Select((r, i) => r with { Stage = HyperbandOptions.Stage(Options.BracketOf(trials.Count + i, spec.Budget.MaxEpochs)) })
            .ToList();
        return d with { NewTrials = requests };
    }
}
