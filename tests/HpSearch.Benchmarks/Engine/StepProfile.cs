using System.Diagnostics;
using HpSearch.Domain.Strategies;
using HpSearch.Engine;
using HpSearch.Engine.Gemm;
using HpSearch.Engine.Optimizers;
using HpSearch.Workers.Training;
using HpSearch.Workers.Training.Builtin;

namespace HpSearch.Benchmarks.Engine;

/// <summary><c>bench profile [--batch-size N] [--threads T] [--model mlp|cnn]</c>: where one training step's time goes.</summary>
internal static class StepProfile
{
    public static int Run(string[] args)
    {
        var o = EngineBenchOptions.Parse(args);
        var cfg = BuiltinConfig.Parse(EngineBench.ReferenceModel(o), TrialOptions.Default);
        var compute = new Compute(o.Threads, GemmBackends.Resolve(o.Gemm));
        var model = BuiltinModel.Build(cfg, 1, 28, 28, 10, new Random(1), compute);
        int n = o.BatchSize;
        var x = model.ImageInput ? new Tensor(n, 28, 28, 1) : new Tensor(n, 784);
        var rng = new Random(2);
        for (int i = 0; i < x.Length; i++) x.Data[i] = (float)rng.NextDouble();
        var y = Enumerable.Range(0, n).Select(i => i % 10).ToArray();
        var ce = new SoftmaxCrossEntropy();
        var opt = new Adam { Compute = compute };
        var ps = model.Parameters;
        var t = new double[5];
        int steps = o.Model == "mlp" ? 300 : 20;
        for (int s = -5; s < steps; s++)
        {
            long t0 = Stopwatch.GetTimestamp();
            foreach (var p in ps) Array.Clear(p.Grad);
            var logits = model.Network.Forward(x, true);
            long t1 = Stopwatch.GetTimestamp();
            ce.Forward(logits, y, out _);
            var d = ce.Backward();
            long t2 = Stopwatch.GetTimestamp();
            model.Network.Backward(d);
            long t3 = Stopwatch.GetTimestamp();
            Constraints.GlobalNorm(ps);
            long t4 = Stopwatch.GetTimestamp();
            opt.Step(ps, 1e-3f);
            long t5 = Stopwatch.GetTimestamp();
            if (s < 0) continue;
            t[0] += t1 - t0; t[1] += t2 - t1; t[2] += t3 - t2; t[3] += t4 - t3; t[4] += t5 - t4;
        }
        // Per layer, a few extra steps.
        var layers = model.Network.Layers;
        var lf = new double[layers.Count]; var lb = new double[layers.Count];
        for (int s = 0; s < Math.Max(3, steps / 10); s++)
        {
            var h = x;
            for (int i = 0; i < layers.Count; i++) { long a = Stopwatch.GetTimestamp(); h = layers[i].Forward(h, true); lf[i] += Stopwatch.GetTimestamp() - a; }
            ce.Forward(h, y, out _);
            var g = ce.Backward();
            for (int i = layers.Count - 1; i >= 0; i--) { long a = Stopwatch.GetTimestamp(); g = layers[i].Backward(g); lb[i] += Stopwatch.GetTimestamp() - a; }
        }
        for (int i = 0; i < layers.Count; i++)
            Console.WriteLine($"  {layers[i].Name,-14} fwd {lf[i] / Stopwatch.Frequency * 1000 / Math.Max(3, steps / 10),8:F3} ms  bwd {lb[i] / Stopwatch.Frequency * 1000 / Math.Max(3, steps / 10),8:F3} ms");
        string[] names = ["forward", "loss", "backward", "gradNorm", "adam"];
        double total = t.Sum();
        for (int i = 0; i < 5; i++)
            Console.WriteLine($"{names[i],-10} {t[i] / Stopwatch.Frequency * 1000 / steps,8:F3} ms/step {100 * t[i] / total,5:F1} %");
        Console.WriteLine($"total      {total / Stopwatch.Frequency * 1000 / steps,8:F3} ms/step → {n * steps / (total / Stopwatch.Frequency),8:F0} samples/s");
        return 0;
    }
}
