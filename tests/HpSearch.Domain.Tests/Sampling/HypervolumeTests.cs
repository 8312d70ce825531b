using HpSearch.Domain.Sampling;

namespace HpSearch.Domain.Tests.Sampling;

public class HypervolumeTests
{
    [Fact]
    public void Of_MeasuresTheUnionOfBoxes_InTwoDimensions()
    {
        // Boxes [1,4]x[3,4] ∪ [2,4]x[2,4] ∪ [3,4]x[1,4]: 3 + 4 + 3 - overlaps = 6.
        double[][] points = [[1, 3], [2, 2], [3, 1]];
        Assert.Equal(6, Hypervolume.Of(points, [4, 4]), 12);
    }

    [Fact]
    public void Of_MeasuresTheUnionOfBoxes_InThreeDimensions()
    {
        // Two unit-cornered boxes against (2,2,2): [0,2]x[1,2]x[1,2] = 2 and [1,2]x[0,2]x[0,2] = 4, overlap [1,2]x[1,2]x[1,2] = 1.
        double[][] points = [[0, 1, 1], [1, 0, 0]];
        Assert.Equal(5, Hypervolume.Of(points, [2, 2, 2]), 12);
    }

    [Fact]
    public void Of_IgnoresPointsBeyondTheReference()
    {
        double[][] points = [[1, 1], [5, 0]];
        Assert.Equal(1, Hypervolume.Of(points, [2, 2]), 12);
    }

    [Fact]
    public void Contributions_AreZero_ForDominatedPointsAndDuplicates()
    {
        double[][] points = [[1, 3], [2, 2], [2, 2], [3, 3], [3, 1]];
        var c = Hypervolume.Contributions(points, [4, 4]);
        Assert.Equal([1, 0, 0, 0, 1], c.Select(x => Math.Round(x, 12)));
    }

    [Fact]
    public void Contributions_AreLargest_ForTheIsolatedPoint()
    {
        double[][] points = [[0, 10], [1, 9], [9, 0]];
        var c = Hypervolume.Contributions(points, [11, 11]);
        Assert.True(c[2] > c[0] && c[2] > c[1], string.Join(", ", c));
    }
}
