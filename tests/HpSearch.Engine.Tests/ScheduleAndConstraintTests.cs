using HpSearch.Engine;
using HpSearch.Engine.Schedules;

namespace HpSearch.Engine.Tests;

public class ScheduleAndConstraintTests
{
    [Fact]
    public void At_DecaysByGamma_EveryStepEpochs_ForStepSchedule()
    {
        var s = new LearningRateSchedule(1f, ScheduleKind.Step, 30, StepEpochs: 10, Gamma: 0.1f);
        Assert.Equal(1f, s.At(9, 0.5), 6);
        Assert.Equal(0.1f, s.At(10, 0), 6);
        Assert.Equal(0.01f, s.At(25, 0), 6);
    }

    [Fact]
    public void At_AnnealsToMinimum_ForCosineSchedule()
    {
        var s = new LearningRateSchedule(1f, ScheduleKind.Cosine, 10, MinLr: 0.1f);
        Assert.Equal(1f, s.At(0, 0), 5);
        Assert.Equal(0.55f, s.At(5, 0), 5);
        Assert.Equal(0.1f, s.At(10, 0), 5);
    }

    [Fact]
    public void At_RisesLinearly_DuringWarmup()
    {
        var s = new LearningRateSchedule(1f, WarmupEpochs: 2);
        Assert.Equal(0.25f, s.At(0, 0.5), 4);
        Assert.Equal(1f, s.At(2, 0), 4);
    }

    [Fact]
    public void ClipGradients_ScalesToMaxGlobalNorm()
    {
        var a = new Parameter("a", [2], true); var b = new Parameter("b", [1], false);
        a.Grad[0] = 3; a.Grad[1] = 0; b.Grad[0] = 4; // global norm 5
        double before = Constraints.ClipGradients([a, b], 1.0);
        Assert.Equal(5, before, 5);
        Assert.Equal(1, Constraints.GlobalNorm([a, b]), 5);
    }

    [Fact]
    public void ApplyMaxNorm_LimitsEachUnitsIncomingWeights()
    {
        var w = new Parameter("w", [2, 2], true);
        w.Value[0] = 3; w.Value[2] = 4;   // unit 0: norm 5
        w.Value[1] = 0.3f; w.Value[3] = 0.4f; // unit 1: norm 0.5
        Constraints.ApplyMaxNorm([w], 1f);
        Assert.Equal(0.6f, w.Value[0], 5); Assert.Equal(0.8f, w.Value[2], 5);
        Assert.Equal(0.3f, w.Value[1], 5);
    }

    [Theory]
    [InlineData(InitKind.XavierUniform, 100, 50, 0.1155)]  // √(2/(fanIn+fanOut))
    [InlineData(InitKind.XavierNormal, 100, 50, 0.1155)]
    [InlineData(InitKind.HeNormal, 100, 50, 0.1414)]       // √(2/fanIn)
    [InlineData(InitKind.HeUniform, 100, 50, 0.1414)]
    [InlineData(InitKind.Normal, 100, 50, 0.01)]
    public void Fill_HasTheSchemesStandardDeviation(InitKind kind, int fanIn, int fanOut, double expectedStd)
    {
        var w = new float[fanIn * fanOut];
        Initializer.Fill(w, fanIn, fanOut, kind, new Random(1));
        double mean = w.Average(v => (double)v);
        double std = Math.Sqrt(w.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(std, expectedStd * 0.93, expectedStd * 1.07);
    }

    [Fact]
    public void Fill_GivesOrthonormalColumns_ForOrthogonal()
    {
        int rows = 20, cols = 8;
        var w = new float[rows * cols];
        Initializer.Fill(w, rows, cols, InitKind.Orthogonal, new Random(2));
        for (int a = 0; a < cols; a++)
            for (int b = 0; b < cols; b++)
            {
                double dot = 0;
                for (int r = 0; r < rows; r++) dot += w[r * cols + a] * w[r * cols + b];
                Assert.Equal(a == b ? 1 : 0, dot, 4);
            }
    }
}
