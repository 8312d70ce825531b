namespace HpSearch.Domain.EarlyStopping;

/// <summary>Several rules at once (e.g. ASHA + patience): asked in order, the first that stops the trial wins. At most one of
/// them is a cross-trial rule (<see cref="StoppingRules.Create"/>), so the combination asks at most one question.</summary>
public sealed class FirstStopRule(IReadOnlyList<IStoppingRule> rules) : IStoppingRule
{
    public IReadOnlyList<IStoppingRule> Rules { get; } = rules;

    public PeerQuestion? Asks(int epoch) => Rules.Select(r => r.Asks(epoch)).FirstOrDefault(q => q is not null);

    public StopDecision? Decide(TrialCurve trial, PeerAnswer? answer)
    {
        var question = Asks(trial.Epochs);
        foreach (var rule in Rules)
            if (rule.Decide(trial, rule.Asks(trial.Epochs) == question ? answer : null) is { } stop) return stop;
        return null;
    }

    public StopDecision? ShouldStop(TrialCurve trial, IReadOnlyList<TrialCurve> others)
    {
        foreach (var rule in Rules)
            if (rule.ShouldStop(trial, others) is { } stop) return stop;
        return null;
    }
}
