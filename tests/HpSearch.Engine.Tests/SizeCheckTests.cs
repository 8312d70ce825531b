using HpSearch.Engine;
using HpSearch.Engine.Layers;

namespace HpSearch.Engine.Tests;

/// <summary>Sizes are checked before any kernel touches memory: an overflowing product is a managed exception, never a wrapped count.</summary>
public sealed class SizeCheckTests
{
    [Fact]
    public void Linear_Throws_WhenItsWeightCountOverflows()
    {
        // 65536 × 65537 elements wrap a 32-bit product: the input that crashed the service.
        Assert.Throws<OverflowException>(() => new Linear(65536, 65537));
    }

    [Fact]
    public void Tensor_Throws_OnANegativeDimension()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Tensor(4, -1));
    }

    [Fact]
    public void MatMul_Throws_WhenTheSizesDoNotFitTheArrays()
    {
        var a = new float[6];
        var b = new float[6];
        var c = new float[4];
        Assert.Throws<ArgumentException>(() => Compute.Default.MatMul(false, false, 2, 2, 4, a, 0, b, 0, c, 0, accumulate: false));
        Assert.Throws<ArgumentException>(() => Compute.Default.MatMul(false, false, 2, 2, 3, a, 1, b, 0, c, 0, accumulate: false));
        Assert.Throws<ArgumentException>(() => Compute.Default.MatMul(false, false, -2, 2, 3, a, 0, b, 0, c, 0, accumulate: false));
    }

    [Fact]
    public void MatMul_StillMultiplies_WhenTheSizesFit()
    {
        float[] a = [1, 2, 3, 4, 5, 6], b = [1, 0, 0, 1, 1, 1];
        var c = new float[4];
        Compute.Default.MatMul(false, false, 2, 2, 3, a, 0, b, 0, c, 0, accumulate: false);
        Assert.Equal([4f, 5f, 10f, 11f], c);
    }

    [Fact]
    public void MaxPool_Throws_WhenTheGradientIsNotTheOutputsShape()
    {
        var pool = new MaxPool2d();
        pool.Forward(new Tensor(1, 4, 4, 2), training: true);
        Assert.Throws<ArgumentException>(() => pool.Backward(new Tensor(1, 4, 4, 2)));
        Assert.Throws<ArgumentException>(() => pool.Forward(new Tensor(1, 1, 1, 2), training: true));
    }
}
