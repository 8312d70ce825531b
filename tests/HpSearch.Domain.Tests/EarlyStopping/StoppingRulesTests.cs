using HpSearch.Domain.EarlyStopping;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Tests.EarlyStopping;

public class StoppingRulesTests
{
    private static readonly Objective Max = new("valAccuracy", true);

    [Fact]
    public void Create_ReturnsNull_WhenNothingStops() =>
        Assert.Null(StoppingRules.Create(EarlyStoppingSpec.None, Max, 10));

    [Theory]
    [InlineData(StoppingKind.Patience, null, typeof(PatienceRule))]
    [InlineData(StoppingKind.None, 2, typeof(PatienceRule))]
    [InlineData(StoppingKind.Median, null, typeof(MedianRule))]
    [InlineData(StoppingKind.Asha, null, typeof(AshaRule))]
    [InlineData(StoppingKind.Median, 2, typeof(FirstStopRule))]
    [InlineData(StoppingKind.Asha, 2, typeof(FirstStopRule))]
    public void Create_BuildsTheRuleTheSpecNames(StoppingKind kind, int? patience, Type expected) =>
        Assert.IsType(expected, StoppingRules.Create(new EarlyStoppingSpec(kind, patience), Max, 10));

    [Fact]
    public void Create_DefaultsPatienceToThree_ForThePatienceKind()
    {
        var rule = StoppingRules.Create(new EarlyStoppingSpec(StoppingKind.Patience), Max, 10)!;
        Assert.Null(rule.ShouldStop(new TrialCurve(1, [0.5, 0.4, 0.4], false), []));
        Assert.NotNull(rule.ShouldStop(new TrialCurve(1, [0.5, 0.4, 0.4, 0.4], false), []));
    }

    [Fact]
    public void Combination_AsksTheCrossTrialRuleFirst_WhenBothWouldStop()
    {
        var rule = StoppingRules.Create(new EarlyStoppingSpec(StoppingKind.Asha, Patience: 1, MinEpochs: 2, ReductionFactor: 2), Max, 10)!;
        var others = new[] { new TrialCurve(1, [0.9, 0.9], true), new TrialCurve(2, [0.8, 0.8], true) };
        var stop = rule.ShouldStop(new TrialCurve(9, [0.3, 0.3], false), others)!;
        Assert.Equal(AshaRule.Name, stop.Rule);
        Assert.True(stop.Pruned);
    }

    [Fact]
    public void Combination_StopsByPatience_BetweenRungs()
    {
        var rule = StoppingRules.Create(new EarlyStoppingSpec(StoppingKind.Asha, Patience: 2, MinEpochs: 1, ReductionFactor: 3), Max, 27)!;
        var stop = rule.ShouldStop(new TrialCurve(9, [0.9, 0.8, 0.85, 0.86, 0.8], false), [])!;
        Assert.Equal(PatienceRule.Name, stop.Rule);
        Assert.False(stop.Pruned);
    }
}
