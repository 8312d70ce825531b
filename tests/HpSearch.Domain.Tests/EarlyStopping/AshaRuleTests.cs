using HpSearch.Domain.EarlyStopping;
using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.Tests.EarlyStopping;

public class AshaRuleTests
{
    private static readonly Objective Max = new("valAccuracy", true);

    private static TrialCurve Curve(int n, params double[] v) => new(n, v, false);

    [Fact]
    public void Rungs_AreMinEpochsTimesPowersOfEta_BelowMaxEpochs()
    {
        Assert.Equal([1, 3, 9], new AshaRule(Max, 1, 3, 27).Rungs);
        Assert.Equal([2, 4, 8, 16], new AshaRule(Max, 2, 2, 20).Rungs);
        Assert.Empty(new AshaRule(Max, 5, 3, 5).Rungs);
    }

    [Fact]
    public void ShouldStop_OnlyDecidesAtARung()
    {
        var others = Enumerable.Range(1, 6).Select(i => Curve(i, 0.9, 0.9, 0.9, 0.9)).ToArray();
        var r = new AshaRule(Max, 1, 3, 27);
        Assert.NotNull(r.ShouldStop(Curve(9, 0.1), others));
        Assert.Null(r.ShouldStop(Curve(9, 0.9, 0.1), others)); // epoch 2 is not a rung
    }

    [Fact]
    public void ShouldStop_PromotesTheTopThird_OfTheTrialsAtTheRung()
    {
        // 6 others + itself = 7 at rung 0 (epoch 1); ⌊7/3⌋ = 2 go on: the threshold is the 2nd best, 0.8.
        var others = new[] { 0.9, 0.8, 0.7, 0.6, 0.5, 0.4 }.Select((v, i) => Curve(i + 1, v)).ToArray();
        var r = new AshaRule(Max, 1, 3, 27);
        var stop = r.ShouldStop(Curve(9, 0.75), others)!;
        Assert.Equal(0, stop.Rung);
        Assert.Equal(0.8, stop.Threshold);
        Assert.True(stop.Pruned);
        Assert.Equal("valAccuracy 0.75 at epoch 1 (rung 0) is below the top-1/3 threshold 0.8 of 7 trials at that rung.", stop.Reason);
        Assert.Null(r.ShouldStop(Curve(9, 0.85), others));
    }

    [Fact]
    public void ShouldStop_PromotesATieWithTheThreshold()
    {
        var others = new[] { 0.9, 0.8, 0.7, 0.6, 0.5, 0.4 }.Select((v, i) => Curve(i + 1, v)).ToArray();
        Assert.Null(new AshaRule(Max, 1, 3, 27).ShouldStop(Curve(9, 0.8), others));
    }

    [Fact]
    public void ShouldStop_PromotesTheFirstArrival_WithoutWaitingForStragglers()
    {
        // Asynchronous: the first trial at rung 1 (epoch 3) is the best of the one trial there, so it goes on.
        var others = new[] { Curve(1, 0.9), Curve(2, 0.8) }; // still before epoch 3
        Assert.Null(new AshaRule(Max, 1, 3, 27).ShouldStop(Curve(9, 0.1, 0.1, 0.1), others));
    }

    [Fact]
    public void ShouldStop_ReadsTheValueAtTheRungEpoch_OfLongerTrials()
    {
        // Others trained further; only their epoch-3 values compete at rung 1.
        var others = new[] { Curve(1, 0.1, 0.2, 0.3, 0.99), Curve(2, 0.1, 0.2, 0.35, 0.99), Curve(3, 0.1, 0.2, 0.4, 0.99) };
        var stop = new AshaRule(Max, 1, 3, 27).ShouldStop(Curve(9, 0.1, 0.2, 0.38), others)!;
        Assert.Equal(1, stop.Rung);
        Assert.Equal(0.4, stop.Threshold);
    }

    [Fact]
    public void ShouldStop_KeepsTheLowest_WhenMinimizing()
    {
        var min = new Objective("valLoss", false);
        var others = new[] { 0.1, 0.2, 0.3, 0.4, 0.5 }.Select((v, i) => Curve(i + 1, v)).ToArray();
        var r = new AshaRule(min, 1, 3, 27);
        Assert.Null(r.ShouldStop(Curve(9, 0.15), others));
        var stop = r.ShouldStop(Curve(9, 0.25), others)!;
        Assert.Equal(0.2, stop.Threshold);
        Assert.Contains("above", stop.Reason);
    }

    [Fact]
    public void ShouldStop_PrunesANaNTrial_AndANaNNeverSetsTheThreshold()
    {
        var others = new[] { Curve(1, double.NaN), Curve(2, double.NaN), Curve(3, 0.2) };
        var r = new AshaRule(Max, 1, 2, 27);
        Assert.NotNull(r.ShouldStop(Curve(9, double.NaN), others));
        Assert.Null(r.ShouldStop(Curve(9, 0.1), others)); // top 2 of 4: 0.2 and 0.1
    }
}
