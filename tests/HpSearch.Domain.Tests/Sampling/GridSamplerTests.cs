using HpSearch.Domain.Sampling;
using HpSearch.Domain.Search;

namespace HpSearch.Domain.Tests.Sampling;

public class GridSamplerTests
{
    [Fact]
    public void Axis_IsLogSpaced_WhenLogUniform()
    {
        var axis = new GridSampler(5).Axis(new ParameterSpec("lr", ParameterKind.LogUniform, 1e-5, 1e-1)).Cast<double>().ToList();
        Assert.Equal([-5, -4, -3, -2, -1], axis.Select(v => Math.Round(Math.Log10(v), 9)));
    }

    [Fact]
    public void Axis_IsEvenlySpaced_IncludingBothEnds_WhenUniform()
    {
        var axis = new GridSampler(3).Axis(new ParameterSpec("d", ParameterKind.Uniform, 0, 0.5));
        Assert.Equal([0.0, 0.25, 0.5], axis.Cast<double>());
    }

    [Fact]
    public void Axis_UsesTheParametersOwnPoints_OverTheStrategys()
    {
        var axis = new GridSampler(3).Axis(new ParameterSpec("d", ParameterKind.Uniform, 0, 1, Points: 5));
        Assert.Equal(5, axis.Count);
    }

    [Fact]
    public void Axis_TakesTheMiddle_WhenOnePoint()
    {
        var axis = new GridSampler(1).Axis(new ParameterSpec("lr", ParameterKind.LogUniform, 1e-4, 1e-2));
        Assert.Equal(1e-3, (double)axis[0], 12);
    }

    [Fact]
    public void Axis_TakesEveryInt_WhenNoPointsAreGiven()
    {
        Assert.Equal([2L, 3L, 4L, 5L], new GridSampler(3).Axis(new ParameterSpec("n", ParameterKind.Int, 2, 5)).Cast<long>());
    }

    [Fact]
    public void Axis_GivesDistinctLogSpacedInts_WhenPointsAreGiven()
    {
        var axis = new GridSampler().Axis(new ParameterSpec("w", ParameterKind.Int, 16, 256, Log: true, Points: 5)).Cast<long>();
        Assert.Equal([16L, 32L, 64L, 128L, 256L], axis);
    }

    [Fact]
    public void Size_IsTheProductOfTheAxes()
    {
        // lr 4 × dropout 4 × layers 4 × width 3 × optimizer 3 × batchSize 1
        Assert.Equal(4 * 4 * 4 * 3 * 3, new GridSampler(4).Size(SamplerContractTests.Space));
    }

    [Fact]
    public void Suggest_VisitsEveryCombinationOnce_InOrder_LastParameterFastest()
    {
        var space = new SearchSpace([
            new ParameterSpec("a", ParameterKind.Categorical, Values: ["x", "y"]),
            new ParameterSpec("b", ParameterKind.Int, 1, 3),
        ]);
        var g = new GridSampler();
        var seen = Enumerable.Range(0, 6).Select(i => g.Suggest(space, i, [])).Select(d => $"{d["a"]}{d["b"]}").ToList();
        Assert.Equal(["x1", "x2", "x3", "y1", "y2", "y3"], seen);
        Assert.Equal("x1", $"{g.Suggest(space, 6, [])["a"]}{g.Suggest(space, 6, [])["b"]}"); // wraps around
    }
}
