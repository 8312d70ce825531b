using HpSearch.Domain.Diagnosis;
using HpSearch.Domain.Experiments;

namespace HpSearch.Domain.Tests.Diagnosis;

public class CurveDiagnosisTests
{
    private static readonly Objective ValAcc = new("valAccuracy", true);

    /// <summary>Epochs from per-epoch train/val accuracy; the losses follow the accuracies.</summary>
    private static List<EpochPoint> Curves(Func<int, double> train, Func<int, double> val, int epochs = 15) =>
        Enumerable.Range(1, epochs).Select(e => TestSpecs.Epoch(e,
            ("trainAccuracy", train(e)), ("valAccuracy", val(e)),
            ("trainLoss", 2.3 * (1 - train(e)) + 0.01), ("valLoss", 2.3 * (1 - val(e)) + 0.01))).ToList();

    [Fact]
    public void Smooth_IsATrailingMovingAverage_SkippingNaN()
    {
        Assert.Equal([1.0, 1.5, 2.0, 3.0], CurveDiagnosis.Smooth([1, 2, 3, 4], 3));
        Assert.Equal([1.0, 1.0, 3.0], CurveDiagnosis.Smooth([1, double.NaN, 3], 2));
        Assert.True(double.IsNaN(CurveDiagnosis.Smooth([double.NaN], 2)[0]));
    }

    [Fact]
    public void Diagnose_CallsItOverfitting_WhenTrainRunsAwayFromValidation()
    {
        var r = CurveDiagnosis.Diagnose(Curves(e => Math.Min(1, 0.6 + 0.04 * e), e => 0.8), ValAcc, 3, 0.05);
        Assert.Equal(FitKind.Overfitting, r.Fit);
        Assert.Contains("regularization", r.Advice);
        Assert.True(r.Gap > 0.05);
    }

    [Fact]
    public void Diagnose_CallsItOverfitting_WhenValidationTurnsWhileTrainingLossFalls()
    {
        var r = CurveDiagnosis.Diagnose(Curves(e => 0.8 + 0.005 * e, e => e < 6 ? 0.7 + 0.02 * e : 0.8 - 0.015 * (e - 5)), ValAcc, 2, 0.2);
        Assert.Equal(FitKind.Overfitting, r.Fit);
        Assert.Contains("peaked", r.Diagnosis);
    }

    [Fact]
    public void Diagnose_CallsItUnderfitting_AndSaysTrainLonger_WhenTheLossStillFalls()
    {
        var r = CurveDiagnosis.Diagnose(Curves(e => 0.5 + 0.025 * e, e => 0.49 + 0.025 * e), ValAcc, 3, 0.05);
        Assert.Equal(FitKind.Underfitting, r.Fit);
        Assert.True(r.LossStillFalling);
        Assert.Contains("train longer", r.Advice);
    }

    [Fact]
    public void Diagnose_CallsItUnderfitting_AndSaysBiggerModel_WhenFlatAndLowWithNoGap()
    {
        var r = CurveDiagnosis.Diagnose(Curves(e => 0.62, e => 0.615), ValAcc, 3, 0.05);
        Assert.Equal(FitKind.Underfitting, r.Fit);
        Assert.Contains("bigger model", r.Advice);
    }

    [Fact]
    public void Diagnose_CallsItAGoodFit_WhenValidationPlateausCloseToTraining()
    {
        var r = CurveDiagnosis.Diagnose(Curves(e => 0.99 - 0.3 * Math.Exp(-e), e => 0.97 - 0.3 * Math.Exp(-e)), ValAcc, 3, 0.05);
        Assert.Equal(FitKind.GoodFit, r.Fit);
        Assert.True(r.ValidationPlateaued);
    }

    [Fact]
    public void Diagnose_ReadsValLoss_WhenThatIsTheObjective()
    {
        var epochs = Enumerable.Range(1, 10).Select(e => TestSpecs.Epoch(e, ("trainLoss", 1.0 / e), ("valLoss", 1.0 / e + 0.002))).ToList();
        var r = CurveDiagnosis.Diagnose(epochs, new Objective("valLoss", false), 3, 0.05);
        Assert.Equal(FitKind.Underfitting, r.Fit); // both losses still fall together
        Assert.Equal((1.0 / 8 + 1.0 / 9 + 1.0 / 10) / 3 + 0.002, r.FinalValidation, 9);
    }

    [Fact]
    public void Diagnose_IsUnknown_WithTooFewOrNaNEpochs()
    {
        Assert.Equal(FitKind.Unknown, CurveDiagnosis.Diagnose([], ValAcc, 3, 0.05).Fit);
        Assert.Equal(FitKind.Unknown, CurveDiagnosis.Diagnose(Curves(e => 0.5, e => 0.5, 1), ValAcc, 3, 0.05).Fit);
        Assert.Equal(FitKind.Unknown, CurveDiagnosis.Diagnose(Curves(e => double.NaN, e => double.NaN, 5), ValAcc, 3, 0.05).Fit);
    }
}
