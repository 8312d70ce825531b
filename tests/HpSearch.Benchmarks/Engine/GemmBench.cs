using System.Diagnostics;
using HpSearch.Engine;
using HpSearch.Engine.Gemm;

namespace HpSearch.Benchmarks.Engine;

/// <summary><c>bench gemm [--threads T]</c>: GFLOPS of each backend on the MLP's and CNN's GEMM shapes (to choose the default).</summary>
internal static class GemmBench
{
    public static int Run(string[] args)
    {
        int threads = args.Length >= 2 && args[0] == "--threads" ? int.Parse(args[1]) : 2;
        var shapes = new (string Name, bool TA, bool TB, int M, int N, int K)[]
        {
            ("fwd1 128x256x784", false, false, 128, 256, 784),
            ("dW1 784x256x128", true, false, 784, 256, 128),
            ("dX2 128x256x256", false, true, 128, 256, 256),
            ("fwd1 512x256x784", false, false, 512, 256, 784),
            ("conv2 25088x64x288", false, false, 25088, 64, 288),
            ("conv2 dW 288x64x25088", true, false, 288, 64, 25088),
            ("conv2 dX 25088x288x64", false, true, 25088, 288, 64),
        };
        var backends = new List<IGemm>();
        if (ManagedGemm.IsSupported) backends.Add(new ManagedGemm());
        if (System.Runtime.Intrinsics.X86.Fma.IsSupported) backends.Add(new ManagedGemm(256));
        if (OpenBlasGemm.Instance is { } blas) backends.Add(blas);
        foreach (var (name, ta, tb, m, n, k) in shapes)
        {
            var a = new float[m * k]; var b = new float[k * n]; var c = new float[m * n];
            new Random(1).NextBytes(new byte[1]);
            for (int i = 0; i < a.Length; i++) a[i] = (i % 7) * 0.1f;
            for (int i = 0; i < b.Length; i++) b[i] = (i % 5) * 0.1f;
            foreach (var g in backends)
            {
                var compute = new Compute(threads, g);
                for (int w = 0; w < 3; w++) compute.MatMul(ta, tb, m, n, k, a, 0, b, 0, c, 0, false);
                int reps = Math.Max(3, (int)(2e9 / (2.0 * m * n * k)));
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                for (int r = 0; r < reps; r++) compute.MatMul(ta, tb, m, n, k, a, 0, b, 0, c, 0, false);
                double wall = sw.Elapsed.TotalSeconds;
                double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
                double gflops = 2.0 * m * n * k * reps / wall / 1e9, perCpu = 2.0 * m * n * k * reps / cpu / 1e9;
                // Per CPU-second figures stay meaningful when other builds share the cores.
                Console.WriteLine($"{name,-24} {g.Name,-22} {threads}t {gflops,7:F1} GFLOPS wall {perCpu,7:F1} GFLOPS/cpu-s {wall * 1000 / reps,8:F3} ms");
            }
        }
        return 0;
    }
}
