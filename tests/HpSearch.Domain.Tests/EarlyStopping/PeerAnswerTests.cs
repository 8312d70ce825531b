using HpSearch.Domain.EarlyStopping;
using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.Tests.EarlyStopping;

/// <summary>The figures a cross-trial rule reads instead of whole curves (the reference a store's query is checked against).</summary>
public class PeerAnswerTests
{
    private static readonly Objective Max = new("valAccuracy", true);
    private static readonly Objective Min = new("valLoss", false);

    private static TrialCurve Curve(int n, string? group, params double[] v) => new(n, v, false, group);

    [Fact]
    public void Of_RungThreshold_CountsTheTrialItself_AndGivesTheKthBestScore()
    {
        var others = new[] { Curve(1, null, 0.9), Curve(2, null, 0.8), Curve(3, null, 0.7), Curve(4, null, 0.6), Curve(5, "other", 0.99) };
        var answer = PeerAnswer.Of(new PeerQuestion(PeerStatistic.RungThreshold, 1, 2), Curve(9, null, 0.5), others, Max);
        Assert.Equal(new PeerAnswer(5, 0.8, 0.8), answer); // 5 trials (the other stage not counted), keep ⌊5/2⌋ = 2
    }

    [Fact]
    public void Of_RungThreshold_FlipsTheSign_WhenMinimizing()
    {
        var others = new[] { Curve(1, null, 0.1), Curve(2, null, 0.3) };
        var answer = PeerAnswer.Of(new PeerQuestion(PeerStatistic.RungThreshold, 1, 3), Curve(9, null, 0.2), others, Min);
        Assert.Equal(new PeerAnswer(3, -0.1, -0.1), answer);
    }

    [Fact]
    public void Of_Median_GivesTheMiddleTwoRunningMeans_ForAnEvenCount_AndSkipsTrialsThatHaveNotReachedTheEpoch()
    {
        var others = new[] { Curve(1, null, 0.2, 0.4), Curve(2, null, 0.6, 0.8), Curve(3, null, 0.1, 0.1), Curve(4, null, 0.9, 0.9), Curve(5, null, 0.99) };
        var answer = PeerAnswer.Of(new PeerQuestion(PeerStatistic.MedianOfRunningMeans, 2), Curve(9, null, 0.5, 0.5), others, Max);
        Assert.Equal(4, answer.Count);
        Assert.Equal(0.3, answer.First, 12);
        Assert.Equal(0.7, answer.Second, 12);
    }

    [Fact]
    public void RunningMean_IsMinusInfinity_WhenAnEpochIsNotFinite()
    {
        Assert.Equal(double.NegativeInfinity, PeerAnswer.RunningMean([0.5, double.NaN, 0.7], 3, Max));
        Assert.Equal(-0.5, PeerAnswer.RunningMean([0.4, 0.6], 2, Min), 12);
    }

    [Fact]
    public void Asks_OnlyAtRungs_ForAsha_AndAfterTheWarmUp_ForTheMedianRule_AndNeverForPatience()
    {
        var asha = new AshaRule(Max, minEpochs: 1, reductionFactor: 3, maxEpochs: 20);
        Assert.Equal([1, 3, 9], Enumerable.Range(1, 20).Where(e => asha.Asks(e) is not null));
        var median = new MedianRule(Max, startupTrials: 2, warmupEpochs: 2);
        Assert.Null(median.Asks(2));
        Assert.Equal(new PeerQuestion(PeerStatistic.MedianOfRunningMeans, 3), median.Asks(3));
        Assert.Null(new PatienceRule(2, 0, Max).Asks(5));
    }
}
