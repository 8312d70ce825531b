using HpSearch.Domain.EarlyStopping;
using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.Tests.EarlyStopping;

public class MedianRuleTests
{
    private static readonly Objective Max = new("valAccuracy", true);

    // Running averages at epoch 2: 0.5, 0.6, 0.7 → median 0.6.
    private static readonly TrialCurve[] Others =
    [
        new(1, [0.4, 0.6, 0.9], true),
        new(2, [0.5, 0.7, 0.9], true),
        new(3, [0.6, 0.8, 0.9], false),
    ];

    [Fact]
    public void ShouldStop_PrunesATrialWhoseBestIsBelowTheMedianOfRunningAverages()
    {
        var stop = new MedianRule(Max, 3, 1).ShouldStop(new TrialCurve(9, [0.5, 0.55], false), Others)!;
        Assert.Equal(MedianRule.Name, stop.Rule);
        Assert.Equal(2, stop.Epoch);
        Assert.Equal(0.55, stop.Value);
        Assert.Equal(0.6, stop.Threshold, 12);
        Assert.True(stop.Pruned);
        Assert.Contains("3 other trials", stop.Reason);
    }

    [Fact]
    public void ShouldStop_UsesTheBestSoFar_NotTheLatestValue()
    {
        Assert.Null(new MedianRule(Max, 3, 1).ShouldStop(new TrialCurve(9, [0.65, 0.3], false), Others));
    }

    [Fact]
    public void ShouldStop_LetsATieWithTheMedianGoOn()
    {
        Assert.Null(new MedianRule(Max, 3, 1).ShouldStop(new TrialCurve(9, [0.6, 0.6], false), Others));
    }

    [Fact]
    public void ShouldStop_WaitsForStartupTrials_ThatReachedTheEpoch()
    {
        var others = Others.Take(2).Append(new TrialCurve(3, [0.6], false)).ToArray(); // only 2 have reached epoch 2
        Assert.Null(new MedianRule(Max, 3, 1).ShouldStop(new TrialCurve(9, [0.1, 0.1], false), others));
        Assert.NotNull(new MedianRule(Max, 2, 1).ShouldStop(new TrialCurve(9, [0.1, 0.1], false), others));
    }

    [Fact]
    public void ShouldStop_NeverPrunesDuringWarmup()
    {
        var r = new MedianRule(Max, 1, 2);
        Assert.Null(r.ShouldStop(new TrialCurve(9, [0.0], false), Others));
        Assert.Null(r.ShouldStop(new TrialCurve(9, [0.0, 0.0], false), Others));
        Assert.NotNull(r.ShouldStop(new TrialCurve(9, [0.0, 0.0, 0.0], false), Others));
    }

    [Fact]
    public void ShouldStop_CountsADivergedComparatorAsTheWorst()
    {
        // Running averages at epoch 2: −∞ (NaN), 0.6, 0.7 → median 0.6.
        var others = new[] { new TrialCurve(1, [0.4, double.NaN], true), Others[1], Others[2] };
        Assert.Null(new MedianRule(Max, 3, 1).ShouldStop(new TrialCurve(9, [0.5, 0.61], false), others));
        Assert.NotNull(new MedianRule(Max, 3, 1).ShouldStop(new TrialCurve(9, [0.5, 0.59], false), others));
    }

    [Fact]
    public void ShouldStop_ComparesAgainstTheLowerMedian_WhenMinimizing()
    {
        var min = new Objective("valLoss", false);
        var others = Others.Select(c => c with { Values = c.Values.Select(v => 1 - v).ToList() }).ToArray();
        var stop = new MedianRule(min, 3, 1).ShouldStop(new TrialCurve(9, [0.5, 0.45], false), others)!;
        Assert.Equal(0.4, stop.Threshold, 12);
        Assert.Null(new MedianRule(min, 3, 1).ShouldStop(new TrialCurve(9, [0.5, 0.35], false), others));
    }

    [Fact]
    public void ShouldStop_AveragesTheMiddleTwo_WhenTheCountIsEven()
    {
        var others = Others.Append(new TrialCurve(4, [0.7, 0.9], false)).ToArray(); // averages 0.5, 0.6, 0.7, 0.8
        var stop = new MedianRule(Max, 1, 1).ShouldStop(new TrialCurve(9, [0.6, 0.64], false), others)!;
        Assert.Equal(0.65, stop.Threshold, 12);
    }
}
