using HpSearch.Engine;

namespace HpSearch.Engine.Tests;

/// <summary>Central finite differences on the scalar L = Σ r ⊙ layer(x) with a fixed random r, compared with Backward.</summary>
internal static class GradientCheck
{
    public static void AssertMatches(ILayer layer, Tensor x, bool training = true, float eps = 1e-2f, double tolerance = 2e-2, int seed = 1)
    {
        var rng = new Random(seed);
        var y = layer.Forward(x, training);
        var r = new float[y.Length];
        for (int i = 0; i < r.Length; i++) r[i] = (float)(rng.NextDouble() * 2 - 1);
        foreach (var p in layer.Parameters()) Array.Clear(p.Grad);
        var dx = layer.Backward(new Tensor((float[])r.Clone(), y.Shape));
        var dxCopy = (float[])dx.Data.Clone();
        var grads = layer.Parameters().Select(p => (float[])p.Grad.Clone()).ToArray();

        double Loss()
        {
            var o = layer.Forward(x, training);
            double s = 0;
            for (int i = 0; i < r.Length; i++) s += (double)r[i] * o.Data[i];
            return s;
        }

        Compare("input", x.Data, dxCopy, Loss, eps, tolerance);
        var ps = layer.Parameters();
        for (int k = 0; k < ps.Count; k++) Compare(ps[k].Name, ps[k].Value, grads[k], Loss, eps, tolerance);
    }

    private static void Compare(string what, float[] values, float[] analytic, Func<double> loss, float eps, double tolerance)
    {
        int step = Math.Max(1, values.Length / 60); // sample at most ~60 coordinates per array
        for (int i = 0; i < values.Length; i += step)
        {
            float old = values[i];
            values[i] = old + eps; double plus = loss();
            values[i] = old - eps; double minus = loss();
            values[i] = old;
            double numeric = (plus - minus) / (2 * eps);
            double err = Math.Abs(numeric - analytic[i]) / Math.Max(1.0, Math.Abs(numeric) + Math.Abs(analytic[i]));
            Assert.True(err < tolerance, $"{what}[{i}]: analytic {analytic[i]} vs numeric {numeric}");
        }
    }

    public static Tensor Random(int seed, params int[] shape)
    {
        var rng = new Random(seed);
        var t = new Tensor(shape);
        for (int i = 0; i < t.Length; i++)
        {
            double v = rng.NextDouble() * 2 - 1;
            t.Data[i] = (float)(Math.Sign(v) * (0.1 + Math.Abs(v))); // keep away from ReLU's kink at 0
        }
        return t;
    }

    public static void FillRandom(Parameter p, int seed, double scale = 0.5)
    {
        var rng = new Random(seed);
        for (int i = 0; i < p.Length; i++) p.Value[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
    }
}
