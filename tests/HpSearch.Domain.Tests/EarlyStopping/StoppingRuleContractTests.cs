using HpSearch.Domain.EarlyStopping;
using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.Tests.EarlyStopping;

/// <summary>What every stopping rule promises, run once per implementation (and the combination).</summary>
public class StoppingRuleContractTests
{
    private static readonly Objective Max = new("valAccuracy", true);
    private static readonly Objective Min = new("valLoss", false);

    public static TheoryData<string> Rules => ["patience", "median", "asha", "asha+patience"];

    private static IStoppingRule Create(string name, Objective o) => name switch
    {
        "patience" => new PatienceRule(2, 0, o),
        "median" => new MedianRule(o, startupTrials: 2, warmupEpochs: 1),
        "asha" => new AshaRule(o, minEpochs: 1, reductionFactor: 2, maxEpochs: 20),
        "asha+patience" => StoppingRules.Create(new EarlyStoppingSpec(StoppingKind.Asha, Patience: 2, ReductionFactor: 2), o, 20)!,
        _ => throw new ArgumentException(name),
    };

    private static TrialCurve Curve(int n, params double[] v) => new(n, v, false);

    /// <summary>Runs a trial epoch by epoch against fixed others; the first decision, or null.</summary>
    private static StopDecision? Run(IStoppingRule rule, double[] values, IReadOnlyList<TrialCurve> others)
    {
        for (var t = 1; t <= values.Length; t++)
            if (rule.ShouldStop(Curve(99, values[..t]), others) is { } stop) return stop;
        return null;
    }

    private static readonly TrialCurve[] GoodOthers =
    [
        Curve(1, 0.5, 0.6, 0.7, 0.75, 0.8, 0.82, 0.84, 0.85),
        Curve(2, 0.55, 0.65, 0.72, 0.78, 0.8, 0.83, 0.85, 0.86),
        Curve(3, 0.52, 0.62, 0.71, 0.77, 0.81, 0.83, 0.85, 0.86),
    ];

    [Theory, MemberData(nameof(Rules))]
    public void ShouldStop_LetsTheBestTrialRun_WhileItImproves(string rule)
    {
        Assert.Null(Run(Create(rule, Max), [0.6, 0.7, 0.8, 0.85, 0.88, 0.9, 0.91, 0.92], GoodOthers));
    }

    [Theory, MemberData(nameof(Rules))]
    public void ShouldStop_StopsAHopelessFlatTrial(string rule)
    {
        var stop = Run(Create(rule, Max), [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], GoodOthers);
        Assert.NotNull(stop);
        Assert.Equal(0.1, stop.Value, 9);
    }

    [Theory, MemberData(nameof(Rules))]
    public void ShouldStop_RespectsTheDirection_WhenMinimizing(string rule)
    {
        var others = GoodOthers.Select(c => c with { Values = c.Values.Select(v => 1 - v).ToList() }).ToArray();
        Assert.Null(Run(Create(rule, Min), [0.4, 0.3, 0.2, 0.15, 0.12, 0.1, 0.09, 0.08], others));
        Assert.NotNull(Run(Create(rule, Min), [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9], others));
    }

    [Theory, MemberData(nameof(Rules))]
    public void ShouldStop_TreatsNaNAsTheWorst(string rule)
    {
        var stop = Run(Create(rule, Max), [double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN], GoodOthers);
        Assert.NotNull(stop);
        Assert.True(double.IsNaN(stop.Value));
    }

    [Theory, MemberData(nameof(Rules))]
    public void ShouldStop_DoesNotThrow_OnAnEmptyCurve(string rule)
    {
        Assert.Null(Create(rule, Max).ShouldStop(Curve(99), GoodOthers));
    }

    [Theory, MemberData(nameof(Rules))]
    public void ShouldStop_IgnoresOtherGroups(string rule)
    {
        // Stage trials compare only with their own stage: a flat trial alone in its group gets no cross-trial verdict.
        var r = Create(rule, Max);
        var trial = new TrialCurve(99, [0.1, 0.1], false, Group: "coarse");
        var stop = r.ShouldStop(trial, GoodOthers);
        Assert.True(stop is null || stop.Rule == PatienceRule.Name);
    }

    [Theory, MemberData(nameof(Rules))]
    public void ShouldStop_ExplainsItself(string rule)
    {
        var stop = Run(Create(rule, Max), [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], GoodOthers)!;
        Assert.False(string.IsNullOrWhiteSpace(stop.Reason));
        Assert.Contains("valAccuracy", stop.Reason);
        Assert.InRange(stop.Epoch, 1, 8);
        Assert.Equal(stop.Rule != PatienceRule.Name, stop.Pruned);
    }

    [Theory, MemberData(nameof(Rules))]
    public void ShouldStop_LetsASingleTrialRun_WhenItImproves(string rule)
    {
        Assert.Null(Run(Create(rule, Max), [0.1, 0.2, 0.3, 0.4, 0.5], []));
    }

    [Theory, MemberData(nameof(Rules))]
    public void ShouldStop_StillDecides_WhenAllOthersWerePruned(string rule)
    {
        var pruned = GoodOthers.Select(c => c with { Values = c.Values.Take(2).ToList(), Finished = true }).ToArray();
        var r = Create(rule, Max);
        // Nothing to learn from beyond epoch 2, but a decision never throws and a strong trial goes on.
        Assert.Null(Run(r, [0.9, 0.91, 0.92, 0.93], pruned));
    }
}
