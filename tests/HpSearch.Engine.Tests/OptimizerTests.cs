using HpSearch.Engine;
using HpSearch.Engine.Layers;
using HpSearch.Engine.Optimizers;

namespace HpSearch.Engine.Tests;

public class OptimizerTests
{
    // Hand-computed from the textbook formulas, w = [1, −2], g = [0.5, 1] at every step.
    [Theory]
    [InlineData("sgd", 0.1f, 1, 0.95f, -2.1f)]
    [InlineData("momentum", 0.1f, 2, 0.855f, -2.29f)]  // v = g, then v = 1.9g
    [InlineData("nesterov", 0.1f, 1, 0.905f, -2.19f)]  // w −= lr(g + μv) = lr·1.9g
    [InlineData("adagrad", 0.1f, 1, 0.9f, -2.1f)]      // g/√(g²) = sign(g)
    [InlineData("rmsprop", 0.01f, 1, 0.9f, -2.1f)]     // g/√(0.01g²) = 10·sign(g)
    [InlineData("adam", 0.1f, 2, 0.8f, -2.2f)]         // bias-corrected m̂/√v̂ = sign(g) at each step
    public void Step_MatchesTextbookFormula(string name, float lr, int steps, float w0, float w1)
    {
        var p = Param([1f, -2f], decay: true);
        var opt = Create(name, WeightDecay.None);
        for (int s = 0; s < steps; s++)
        {
            p.Grad[0] = 0.5f; p.Grad[1] = 1f;
            opt.Step([p], lr);
        }
        Assert.Equal(w0, p.Value[0], 4);
        Assert.Equal(w1, p.Value[1], 4);
    }

    // The same hand-computed values on a long parameter: the SIMD loop, its scalar tail and the threads' chunks all agree.
    [Theory]
    [InlineData("sgd", 0.1f, 1, 0.95f, -2.1f)]
    [InlineData("momentum", 0.1f, 2, 0.855f, -2.29f)]
    [InlineData("nesterov", 0.1f, 1, 0.905f, -2.19f)]
    [InlineData("adagrad", 0.1f, 1, 0.9f, -2.1f)]
    [InlineData("rmsprop", 0.01f, 1, 0.9f, -2.1f)]
    [InlineData("adam", 0.1f, 2, 0.8f, -2.2f)]
    public void Step_MatchesTextbookFormula_OnEveryElementOfALongParameter_OnTwoThreads(string name, float lr, int steps, float w0, float w1)
    {
        const int length = 140_003;
        var p = Param(Enumerable.Range(0, length).Select(i => i % 2 == 0 ? 1f : -2f).ToArray(), decay: true);
        var opt = Create(name, WeightDecay.None, new Compute(2));
        for (int s = 0; s < steps; s++)
        {
            for (int i = 0; i < length; i++) p.Grad[i] = i % 2 == 0 ? 0.5f : 1f;
            opt.Step([p], lr);
        }
        for (int i = 0; i < length; i++) Assert.Equal(i % 2 == 0 ? w0 : w1, p.Value[i], 4);
    }

    [Fact]
    public void Step_AddsL2Term_ForWeightsButNotBiases_InSgd()
    {
        var w = Param([1f, -2f], decay: true);
        var b = Param([1f, -2f], decay: false);
        foreach (var p in new[] { w, b }) { p.Grad[0] = 0.5f; p.Grad[1] = 1f; }
        new Sgd(new WeightDecay(0.1f)).Step([w, b], 0.1f);
        Assert.Equal(0.94f, w.Value[0], 5); Assert.Equal(-2.08f, w.Value[1], 5);
        Assert.Equal(0.95f, b.Value[0], 5); Assert.Equal(-2.1f, b.Value[1], 5);
    }

    [Fact]
    public void Step_DecaysWeightsDecoupled_InAdamW()
    {
        var w = Param([1f, -2f], decay: true);
        w.Grad[0] = 0.5f; w.Grad[1] = 1f;
        AdamW.Create(decay: new WeightDecay(0.1f)).Step([w], 0.1f);
        Assert.Equal(0.89f, w.Value[0], 4);   // 1·(1 − 0.1·0.1) − 0.1
        Assert.Equal(-2.08f, w.Value[1], 4);  // −2·0.99 − 0.1
    }

    [Theory]
    [InlineData("sgd", 0.5f)]
    [InlineData("momentum", 0.1f)]
    [InlineData("nesterov", 0.1f)]
    [InlineData("adagrad", 0.1f)]
    [InlineData("rmsprop", 0.01f)]
    [InlineData("adam", 0.01f)]
    [InlineData("adamw", 0.01f)]
    public void Step_LowersTheLoss_OnSeededToyProblem(string name, float lr)
    {
        var rng = new Random(5);
        int n = 64;
        var x = new Tensor(n, 4);
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 3;
            for (int j = 0; j < 4; j++) x.Data[i * 4 + j] = (float)(rng.NextDouble() - 0.5 + (j == y[i] ? 1 : 0));
        }
        var layer = new Linear(4, 3);
        Initializer.Fill(layer.Weight.Value, 4, 3, InitKind.XavierUniform, new Random(6));
        var ce = new SoftmaxCrossEntropy();
        var opt = Create(name, new WeightDecay(1e-4f));
        double first = 0, last = 0;
        for (int step = 0; step < 60; step++)
        {
            layer.ZeroGradients();
            last = ce.Forward(layer.Forward(x, true), y, out _);
            if (step == 0) first = last;
            layer.Backward(ce.Backward());
            opt.Step(layer.Parameters(), lr);
        }
        Assert.True(last < 0.7 * first, $"{name}: loss {first} → {last}");
    }

    private static IOptimizer Create(string name, WeightDecay decay, Compute? compute = null)
    {
        compute ??= Compute.Default;
        return name switch
        {
            "sgd" => new Sgd(decay) { Compute = compute },
            "momentum" => new Momentum(0.9f, decay) { Compute = compute },
            "nesterov" => new Nesterov(0.9f, decay) { Compute = compute },
            "adagrad" => new AdaGrad(decay: decay) { Compute = compute },
            "rmsprop" => new RmsProp(0.99f, 1e-8f, decay) { Compute = compute },
            "adamw" => new Adam(decay: decay, decoupled: true) { Compute = compute },
            _ => new Adam(decay: decay) { Compute = compute },
        };
    }

    private static Parameter Param(float[] values, bool decay)
    {
        var p = new Parameter("p", [values.Length], decay);
        values.CopyTo(p.Value, 0);
        return p;
    }
}

internal static class LayerTestExtensions
{
    public static void ZeroGradients(this ILayer layer) => layer.ZeroGrad();
}
