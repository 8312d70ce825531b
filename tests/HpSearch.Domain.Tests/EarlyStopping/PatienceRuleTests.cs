using HpSearch.Domain.EarlyStopping;
using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.Tests.EarlyStopping;

public class PatienceRuleTests
{
    private static readonly Objective Max = new("valAccuracy", true);

    private static StopDecision? At(PatienceRule r, params double[] v) => r.ShouldStop(new TrialCurve(1, v, false), []);

    [Fact]
    public void ShouldStop_AfterPatienceEpochsWithoutImprovement_KeepingTheBestEpoch()
    {
        var r = new PatienceRule(3, 0, Max);
        Assert.Null(At(r, 0.5, 0.7, 0.6, 0.65));
        var stop = At(r, 0.5, 0.7, 0.6, 0.65, 0.69)!;
        Assert.Equal(5, stop.Epoch);
        Assert.Equal(0.7, stop.Threshold);
        Assert.False(stop.Pruned);
        Assert.Contains("epoch 2", stop.Reason);
    }

    [Fact]
    public void ShouldStop_CountsATieAsNoImprovement()
    {
        Assert.NotNull(At(new PatienceRule(2, 0, Max), 0.7, 0.7, 0.7));
    }

    [Fact]
    public void ShouldStop_IgnoresGainsSmallerThanMinDelta()
    {
        var r = new PatienceRule(3, 0.01, Max);
        // +0.005 per epoch never beats the reference best by more than 0.01 for long: the reference moves at epoch 4 only.
        Assert.Null(At(r, 0.700, 0.705, 0.710, 0.715));
        Assert.NotNull(At(r, 0.700, 0.705, 0.710, 0.715, 0.716, 0.717, 0.718));
    }

    [Fact]
    public void ShouldStop_WatchesTheMinimum_WhenMinimizing()
    {
        var r = new PatienceRule(2, 0, new Objective("valLoss", false));
        Assert.Null(At(r, 1.0, 0.8, 0.6, 0.5));
        var stop = At(r, 1.0, 0.5, 0.6, 0.55)!;
        Assert.Equal(0.5, stop.Threshold);
    }

    [Fact]
    public void ShouldStop_SkipsNaNEpochs_WhenFindingTheBest()
    {
        var stop = At(new PatienceRule(2, 0, Max), 0.6, double.NaN, double.NaN)!;
        Assert.Equal(0.6, stop.Threshold);
        Assert.True(double.IsNaN(stop.Value));
    }

    [Fact]
    public void Constructor_RejectsZeroPatience()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PatienceRule(0, 0, Max));
    }
}
