using HpSearch.Engine;
using HpSearch.Engine.Layers;

namespace HpSearch.Engine.Tests;

public class LayerGradientTests
{
    [Fact]
    public void Backward_MatchesFiniteDifferences_ForLinear()
    {
        var l = new Linear(7, 5);
        GradientCheck.FillRandom(l.Weight, 2); GradientCheck.FillRandom(l.Bias, 3);
        GradientCheck.AssertMatches(l, GradientCheck.Random(4, 6, 7));
    }

    [Theory]
    [InlineData(ActivationKind.LeakyRelu)]
    [InlineData(ActivationKind.Elu)]
    [InlineData(ActivationKind.Tanh)]
    [InlineData(ActivationKind.Sigmoid)]
    public void Backward_MatchesFiniteDifferences_ForActivation(ActivationKind kind) =>
        GradientCheck.AssertMatches(new ElementwiseActivation(kind), GradientCheck.Random(5, 4, 9), eps: 1e-3f);

    [Fact]
    public void Backward_MatchesFiniteDifferences_ForRelu() =>
        GradientCheck.AssertMatches(new Relu(), GradientCheck.Random(6, 4, 9), eps: 1e-3f);

    [Fact]
    public void Backward_MatchesFiniteDifferences_ForDropoutWithFixedMask()
    {
        var d = new Dropout(0.4f, new Random(1));
        var x = GradientCheck.Random(7, 5, 8);
        d.Forward(x, training: true);
        d.FreezeMask = true;
        GradientCheck.AssertMatches(d, x);
    }

    [Fact]
    public void Forward_IsIdentity_ForDropoutInEvaluation()
    {
        var x = GradientCheck.Random(8, 3, 4);
        Assert.Equal(x.Data, new Dropout(0.5f, new Random(1)).Forward(x, training: false).Data);
    }

    [Fact]
    public void Forward_KeepsTheExpectedValue_ForInvertedDropout()
    {
        var x = new Tensor(Enumerable.Repeat(1f, 100_000).ToArray(), 100, 1000);
        var y = new Dropout(0.3f, new Random(2)).Forward(x, training: true);
        Assert.InRange(y.Data.Average(), 0.98, 1.02);
        Assert.InRange(y.Data.Count(v => v == 0) / 100_000.0, 0.29, 0.31);
    }

    [Fact]
    public void Forward_DrawsTheSameMask_ForTheSameSeed_AndAnotherForAnotherSeed()
    {
        var x = new Tensor(Enumerable.Repeat(1f, 4099).ToArray(), 1, 4099);
        float[] Mask(int seed) => (float[])new Dropout(0.5f, new Random(seed)).Forward(x, training: true).Data.Clone();
        Assert.Equal(Mask(3), Mask(3));
        Assert.NotEqual(Mask(3), Mask(4));
        Assert.All(Mask(3), v => Assert.True(v is 0f or 2f));
    }

    [Theory]
    [InlineData(0.0f)]
    [InlineData(0.1f)]
    [InlineData(0.9f)]
    public void Forward_DropsTheGivenShare_ForInvertedDropout(float p)
    {
        var x = new Tensor(Enumerable.Repeat(1f, 200_003).ToArray(), 1, 200_003);
        var y = new Dropout(p, new Random(7)).Forward(x, training: true).Data;
        Assert.InRange(y.Count(v => v == 0) / 200_003.0, p - 0.005, p + 0.005);
    }

    [Fact]
    public void Backward_MatchesFiniteDifferences_ForBatchNormInTraining()
    {
        var bn = new BatchNorm(6);
        GradientCheck.FillRandom(bn.Gamma, 9); GradientCheck.FillRandom(bn.Beta, 10);
        GradientCheck.AssertMatches(bn, GradientCheck.Random(11, 8, 6), training: true, eps: 1e-3f);
    }

    [Fact]
    public void Backward_MatchesFiniteDifferences_ForBatchNorm2dPerChannel()
    {
        var bn = new BatchNorm(3);
        GradientCheck.FillRandom(bn.Gamma, 12);
        GradientCheck.AssertMatches(bn, GradientCheck.Random(13, 2, 4, 4, 3), training: true, eps: 1e-3f);
    }

    [Fact]
    public void Backward_MatchesFiniteDifferences_ForBatchNormInEvaluation()
    {
        var bn = new BatchNorm(5);
        for (int i = 0; i < 5; i++) bn.Forward(GradientCheck.Random(20 + i, 10, 5), training: true);
        GradientCheck.FillRandom(bn.Gamma, 14);
        GradientCheck.AssertMatches(bn, GradientCheck.Random(15, 4, 5), training: false, eps: 1e-3f);
    }

    [Fact]
    public void Forward_UpdatesRunningStatistics_WithMomentum_ForBatchNorm()
    {
        var bn = new BatchNorm(1, momentum: 0.1f);
        bn.Forward(new Tensor([1f, 3f], 2, 1), training: true); // mean 2, unbiased variance 2
        Assert.Equal(0.2f, bn.RunningMean[0], 5);
        Assert.Equal(0.9f + 0.2f, bn.RunningVariance[0], 5);
        var y = bn.Forward(new Tensor([0.2f], 1, 1), training: false);
        Assert.Equal(0f, y.Data[0], 4);
    }

    [Theory]
    [InlineData(3, 1, 1)]
    [InlineData(3, 2, 1)]
    [InlineData(5, 1, 2)]
    [InlineData(3, 1, 0)]
    public void Backward_MatchesFiniteDifferences_ForConv2dWithPadding(int kernel, int stride, int padding)
    {
        var conv = new Conv2d(2, 3, kernel, stride, padding);
        GradientCheck.FillRandom(conv.Weight, 16, 0.3); GradientCheck.FillRandom(conv.Bias, 17);
        GradientCheck.AssertMatches(conv, GradientCheck.Random(18, 2, 6, 7, 2));
    }

    [Fact]
    public void Forward_MatchesDirectConvolution_ForConv2d()
    {
        var conv = new Conv2d(1, 1, 3, 1, 1);
        Array.Fill(conv.Weight.Value, 1f);
        var x = new Tensor(Enumerable.Range(0, 9).Select(i => (float)i).ToArray(), 1, 3, 3, 1);
        var y = conv.Forward(x, false);
        // Centre sees all nine pixels (0+…+8 = 36); a corner sees 0+1+3+4 = 8.
        Assert.Equal(36f, y.Data[4]);
        Assert.Equal(8f, y.Data[0]);
    }

    [Theory]
    [InlineData(3, 1, 1, 8)]
    [InlineData(3, 2, 1, 16)]
    [InlineData(5, 1, 2, 8)]
    [InlineData(3, 1, 0, 8)]
    public void Backward_MatchesFiniteDifferences_ForSingleChannelConv2d(int kernel, int stride, int padding, int outChannels)
    {
        var conv = new Conv2d(1, outChannels, kernel, stride, padding, new Compute(2));
        GradientCheck.FillRandom(conv.Weight, 26, 0.3); GradientCheck.FillRandom(conv.Bias, 27);
        GradientCheck.AssertMatches(conv, GradientCheck.Random(28, 5, 9, 11, 1));
    }

    [Theory]
    [InlineData(3, 1, 1)]
    [InlineData(3, 2, 1)]
    [InlineData(5, 2, 2)]
    public void Forward_MatchesNaiveConvolution_ForSingleChannelInput(int kernel, int stride, int padding)
    {
        var conv = new Conv2d(1, 16, kernel, stride, padding);
        GradientCheck.FillRandom(conv.Weight, 29); GradientCheck.FillRandom(conv.Bias, 30);
        var x = GradientCheck.Random(31, 3, 10, 13, 1);
        var y = conv.Forward(x, training: true);
        int oh = conv.OutputSize(10), ow = conv.OutputSize(13);
        Assert.Equal([3, oh, ow, 16], y.Shape);
        for (int img = 0; img < 3; img++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int co = 0; co < 16; co++)
                    {
                        double sum = conv.Bias.Value[co];
                        for (int ky = 0; ky < kernel; ky++)
                            for (int kx = 0; kx < kernel; kx++)
                            {
                                int iy = oy * stride - padding + ky, ix = ox * stride - padding + kx;
                                if (iy >= 0 && iy < 10 && ix >= 0 && ix < 13)
                                    sum += x.Data[(img * 10 + iy) * 13 + ix] * conv.Weight.Value[(ky * kernel + kx) * 16 + co];
                            }
                        Assert.Equal(sum, y.Data[((img * oh + oy) * ow + ox) * 16 + co], 1e-4);
                    }
    }

    [Fact]
    public void Backward_GivesTheSameGradients_ForOneAndTwoThreads_WhenSingleChannelConv2d()
    {
        float[] Grads(int threads)
        {
            var conv = new Conv2d(1, 32, 3, 1, 1, new Compute(threads));
            GradientCheck.FillRandom(conv.Weight, 32);
            var y = conv.Forward(GradientCheck.Random(33, 9, 12, 12, 1), training: true);
            conv.Backward(GradientCheck.Random(34, y.Shape));
            return [.. conv.Weight.Grad, .. conv.Bias.Grad];
        }
        Assert.Equal(Grads(1), Grads(2));
    }

    [Fact]
    public void Backward_MatchesFiniteDifferences_ForMaxPool2d() =>
        GradientCheck.AssertMatches(new MaxPool2d(), GradientCheck.Random(19, 2, 4, 6, 3), eps: 1e-3f);

    [Theory]
    [InlineData(2, 2, 4, 6, 16)] // tiles the image, vector path
    [InlineData(2, 2, 5, 7, 16)] // last row and column outside every window
    [InlineData(3, 2, 7, 7, 8)] // overlapping windows
    [InlineData(3, 2, 7, 7, 19)] // overlapping, vector and scalar channels
    public void Backward_MatchesFiniteDifferences_ForMaxPool2dShapes(int kernel, int stride, int h, int w, int channels) =>
        GradientCheck.AssertMatches(new MaxPool2d(kernel, stride, compute: new Compute(2)), GradientCheck.Random(35, 3, h, w, channels), eps: 1e-3f);

    [Fact]
    public void Backward_SendsTheGradientToTheFirstMaximum_WhenMaxPool2dTies()
    {
        var pool = new MaxPool2d();
        pool.Forward(new Tensor([1f, 1f, 1f, 1f], 1, 2, 2, 1), training: true);
        var dx = pool.Backward(new Tensor([5f], 1, 1, 1, 1));
        Assert.Equal([5f, 0f, 0f, 0f], dx.Data);
    }

    [Fact]
    public void Backward_MatchesFiniteDifferences_ForReluOnManyThreads() =>
        GradientCheck.AssertMatches(new Relu(compute: new Compute(2)), GradientCheck.Random(36, 4, 70_000), eps: 1e-3f);

    [Fact]
    public void Backward_MatchesFiniteDifferences_ForFlatten() =>
        GradientCheck.AssertMatches(new Flatten(), GradientCheck.Random(21, 2, 3, 3, 2));

    [Fact]
    public void Backward_MatchesFiniteDifferences_ForResidualBlock()
    {
        var a = new Linear(6, 6); var b = new Linear(6, 6);
        GradientCheck.FillRandom(a.Weight, 22); GradientCheck.FillRandom(b.Weight, 23);
        var block = new Residual(new Sequential([a, new ElementwiseActivation(ActivationKind.Tanh), b]));
        GradientCheck.AssertMatches(block, GradientCheck.Random(24, 4, 6), eps: 1e-3f);
    }

    [Fact]
    public void Backward_MatchesFiniteDifferences_ForSoftmaxCrossEntropy()
    {
        var ce = new SoftmaxCrossEntropy();
        var logits = GradientCheck.Random(25, 4, 5);
        int[] labels = [0, 3, 4, 1];
        ce.Forward(logits, labels, out _);
        var g = (float[])ce.Backward().Data.Clone();
        for (int i = 0; i < logits.Length; i++)
        {
            float old = logits.Data[i];
            logits.Data[i] = old + 1e-3f; double plus = ce.Forward(logits, labels, out _);
            logits.Data[i] = old - 1e-3f; double minus = ce.Forward(logits, labels, out _);
            logits.Data[i] = old;
            Assert.Equal((plus - minus) / 2e-3, g[i], 3);
        }
    }

    [Fact]
    public void Forward_IsFinite_ForHugeLogits_InSoftmaxCrossEntropy()
    {
        var loss = new SoftmaxCrossEntropy().Forward(new Tensor([1000f, -1000f, 0f], 1, 3), [1], out _);
        Assert.Equal(2000, loss, 3);
    }
}
