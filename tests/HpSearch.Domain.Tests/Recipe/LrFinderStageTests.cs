using HpSearch.Domain.Experiments;
using HpSearch.Domain.Recipe;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Tests.Recipe;

public class LrFinderStageTests
{
    private static TrialRecord Run(int n, double lr, double lastLoss, TrialStatus status = TrialStatus.Completed) =>
        new(n, status, new Dictionary<string, object> { ["lr"] = lr }, [TestSpecs.Epoch(1, ("trainLoss", lastLoss))], "lr-finder",
            Summary: new Dictionary<string, double> { ["initialLoss"] = 2.0 });

    private static StageResult Judge(params TrialRecord[] trials) =>
        LrFinderStage.Judge(new RecipeContext(TestSpecs.Spec(), trials, 10), trials, 2.3);

    [Fact]
    public void Rates_AreLogSpaced_FromLowToHigh()
    {
        var rates = LrFinderStage.Rates(new SixStepOptions { LrFinderLow = 1e-4, LrFinderHigh = 1e-1, LrFinderPoints = 4 });
        Assert.Equal([-4.0, -3.0, -2.0, -1.0], rates.Select(r => Math.Round(Math.Log10(r), 9)));
    }

    [Fact]
    public void Drop_IsMinusInfinity_WhenTheLossRoseOrIsNaN()
    {
        Assert.Equal(0.5, LrFinderStage.Drop(Run(0, 1e-3, 1.0), 2.3));
        Assert.Equal(double.NegativeInfinity, LrFinderStage.Drop(Run(0, 1e-3, 2.5), 2.3));
        Assert.Equal(double.NegativeInfinity, LrFinderStage.Drop(Run(0, 1e-3, double.NaN), 2.3));
    }

    [Fact]
    public void Judge_ChoosesTheLowestRate_OfTheFastestFallingRange()
    {
        var r = Judge(Run(0, 1e-4, 1.9), Run(1, 1e-3, 0.3), Run(2, 1e-2, 0.25), Run(3, 1e-1, double.NaN, TrialStatus.Diverged));
        Assert.Equal(StageStatus.Passed, r.Status);
        Assert.Equal(1e-3, r.Values!["lr"]);
        Assert.Equal(1e-2, r.Values["rangeHigh"]);
    }

    [Fact]
    public void Judge_Fails_SayingTooLarge_WhenEveryRateDiverged()
    {
        var r = Judge(Run(0, 1e-4, double.NaN, TrialStatus.Diverged), Run(1, 1e-3, 3.0));
        Assert.Equal(StageStatus.Failed, r.Status);
        Assert.Contains("too large", r.Diagnosis);
    }

    [Fact]
    public void Judge_Fails_SayingTooSmall_WhenNoRateLowersTheLossByATenth()
    {
        var r = Judge(Run(0, 1e-4, 1.99), Run(1, 1e-3, 1.9));
        Assert.Equal(StageStatus.Failed, r.Status);
        Assert.Contains("too small", r.Diagnosis);
    }
}
