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

    [Fact]
    public void Conv2d_Throws_WhenItsWeightCountOverflows()
    {
        // 15 × 15 × 4096 × 4096 weights: past an array's reach.
        Assert.Throws<OverflowException>(() => new Conv2d(4096, 4096, 15));
        Assert.Throws<ArgumentException>(() => new Conv2d(0, 8, 3));
    }

    [Fact]
    public void Conv2d_Throws_WhenItsColumnCountOverflows()
    {
        // A 1×1 image padded by 30000 gives a 60001×60001 output: 3.6e9 column rows wrap a 32-bit product.
        var conv = new Conv2d(3, 8, 1, padding: 30000);
        Assert.Throws<OverflowException>(() => conv.Forward(new Tensor(1, 1, 1, 3), training: true));
    }

    [Fact]
    public void Conv2d_Throws_WhenTheGradientIsNotTheOutputsShape()
    {
        foreach (var inChannels in new[] { 1, 3 }) // the direct path and the im2col path
        {
            var conv = new Conv2d(inChannels, 8, 3, padding: 1);
            conv.Forward(new Tensor(2, 5, 5, inChannels), training: true);
            Assert.Throws<ArgumentException>(() => conv.Backward(new Tensor(2, 5, 5, 4)));
            Assert.Throws<ArgumentException>(() => conv.Backward(new Tensor(1, 5, 5, 8)));
            var dx = conv.Backward(new Tensor(2, 5, 5, 8));
            Assert.Equal([2, 5, 5, inChannels], dx.Shape);
        }
    }
}
