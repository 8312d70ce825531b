using HpSearch.Domain.Experiments;
using HpSearch.Domain.Recipe;
using HpSearch.Domain.Strategies;

namespace HpSearch.Domain.Tests.Recipe;

public class OverfitStageTests
{
    private static TrialRecord Run(int n, TrialStatus status, params double[] losses) =>
        new(n, status, new Dictionary<string, object> { ["lr"] = Math.Pow(10, n - 4) },
            losses.Select((l, i) => TestSpecs.Epoch(i + 1, ("trainLoss", l), ("trainAccuracy", 0.1))).ToList(), "overfit");

    private static StageResult Judge(params TrialRecord[] trials) =>
        OverfitStage.Judge(new RecipeContext(TestSpecs.Spec(), trials, 10), trials);

    [Fact]
    public void Judge_SaysNoRateWorks_WhenLowRatesAreFlatAndHighRatesDiverge()
    {
        var r = Judge(Run(1, TrialStatus.Completed, 2.3, 2.3), Run(2, TrialStatus.Completed, 2.3, 2.29), Run(3, TrialStatus.Diverged, 2.3, double.NaN));
        Assert.Equal(StageStatus.Failed, r.Status);
        Assert.Contains("no rate works", r.Diagnosis);
    }

    [Fact]
    public void Judge_CallsALossThatMoreThanDoubledDiverged()
    {
        Assert.Equal(OverfitStage.TrialKind.Diverged, OverfitStage.Classify(Run(1, TrialStatus.Completed, 2.3, 5.0)));
        Assert.Equal(OverfitStage.TrialKind.Flat, OverfitStage.Classify(Run(1, TrialStatus.Completed, 2.3, 2.2)));
        Assert.Equal(OverfitStage.TrialKind.Falling, OverfitStage.Classify(Run(1, TrialStatus.Completed, 2.3, 1.0)));
        Assert.Equal(OverfitStage.TrialKind.Crashed, OverfitStage.Classify(Run(1, TrialStatus.Failed)));
    }

    [Fact]
    public void Judge_SaysSeeTheErrors_WhenEveryTrialCrashed()
    {
        var r = Judge(Run(1, TrialStatus.Failed), Run(2, TrialStatus.Failed));
        Assert.Contains("errors", r.Diagnosis);
    }

    private static TrialRecord Accuracies(int n, int allowed, params double[] accuracies) =>
        new(n, TrialStatus.Completed, new Dictionary<string, object> { ["lr"] = 1e-3 },
            accuracies.Select((a, i) => TestSpecs.Epoch(i + 1, ("trainLoss", 2.3 * (1 - a) + 0.01), ("trainAccuracy", a))).ToList(),
            "overfit", MaxEpochs: allowed, Summary: new Dictionary<string, double> { ["initialLoss"] = 2.3 });

    [Fact]
    public void Judge_NamesTheEpochCap_WhenATrialRanFewerEpochsThanTheStageAllows()
    {
        var r = Judge(Accuracies(1, 60, 0.3, 0.6, 0.8, 0.9, 0.94));
        Assert.Equal(StageStatus.Failed, r.Status);
        Assert.Contains("ran 5 of the 60 epochs the stage allows", r.Diagnosis);
        Assert.DoesNotContain("labels", r.Diagnosis);
    }

    [Fact]
    public void Judge_AsksForMoreEpochs_WhenTrainAccuracyWasStillRisingAtTheEnd()
    {
        var r = Judge(Accuracies(1, 10, 0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.88, 0.91, 0.94));
        Assert.Contains("still rising", r.Diagnosis);
        Assert.Contains("overfitMaxEpochs", r.Diagnosis);
        Assert.DoesNotContain("labels", r.Diagnosis);
    }

    [Fact]
    public void Judge_PointsAtTheData_WhenTrainAccuracyLevelledOff()
    {
        var r = Judge(Accuracies(1, 10, 0.3, 0.5, 0.6, 0.62, 0.63, 0.63, 0.63, 0.63, 0.63, 0.63));
        Assert.Contains("levels off at 0.63", r.Diagnosis);
        Assert.Contains("labels", r.Diagnosis);
    }
}
