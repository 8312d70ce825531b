namespace HpSearch.Domain.EarlyStopping;

/// <summary>Several rules at once (e.g. ASHA + patience): asked in order, the first that stops the trial wins.</summary>
public sealed class FirstStopRule(IReadOnlyList<IStoppingRule> rules) : IStoppingRule
{
    public IReadOnlyList<IStoppingRule> Rules { get; } = rules;

    public StopDecision? ShouldStop(TrialCurve trial, IReadOnlyList<TrialCurve> others)
    {
        foreach (var rule in Rules)
            if (rule.ShouldStop(trial, others) is { } stop) return stop;
        return null;
    }
}
