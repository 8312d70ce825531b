namespace HpSearch.Benchmarks.Engine;

/// <summary>The flags of <c>bench engine</c>.</summary>
internal sealed record EngineBenchOptions
{
    public string Model { get; init; } = "mlp";
    public string Dataset { get; init; } = "fashion-mnist";
    public int BatchSize { get; init; } = 128;
    public int Epochs { get; init; } = 2;
    public int Threads { get; init; } = 2;
    public string? Gemm { get; init; }
    public int Runs { get; init; } = 1;
    public int Seed { get; init; } = 1;
    /// <summary>"torchsharp": run only the TorchSharp trainer; "torch": only Debian's PyTorch; null: only the engine.</summary>
    public string? Peer { get; init; }
    /// <summary>With --compare: leave out Debian's PyTorch (no python3-torch on the machine).</summary>
    public bool NoDebianTorch { get; init; }
    /// <summary>This CPU's GEMM peak from <c>bench gemm</c> (GFLOPS, the thread count of the run): reports each case's share.</summary>
    public double? GemmPeakGflops { get; init; }
    /// <summary>Run the engine and the peer, print both and the ratios.</summary>
    public bool Compare { get; init; }
    public string Cache { get; init; } = Path.Combine(Path.GetTempPath(), "hpsearch-datasets");
    public string Python { get; init; } = "/usr/bin/python3";

    public static EngineBenchOptions Parse(string[] args)
    {
        var o = new EngineBenchOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            o = args[i] switch
            {
                "--model" => o with { Model = Next() },
                "--dataset" => o with { Dataset = Next() },
                "--batch-size" => o with { BatchSize = int.Parse(Next()) },
                "--epochs" => o with { Epochs = int.Parse(Next()) },
                "--threads" => o with { Threads = int.Parse(Next()) },
                "--gemm" => o with { Gemm = Next() },
                "--runs" => o with { Runs = int.Parse(Next()) },
                "--seed" => o with { Seed = int.Parse(Next()) },
                "--peer" => o with { Peer = Next() },
                "--compare" => o with { Compare = true },
                "--no-debian-torch" => o with { NoDebianTorch = true },
                "--gemm-peak" => o with { GemmPeakGflops = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) },
                "--cache" => o with { Cache = Next() },
                "--python" => o with { Python = Next() },
                _ => throw new ArgumentException($"Unknown flag {args[i]}."),
            };
        }
        if (o.Model is not ("mlp" or "cnn")) throw new ArgumentException("--model must be mlp or cnn.");
        if (o.Peer is not (null or "torch" or "torchsharp")) throw new ArgumentException("--peer must be torch or torchsharp.");
        return o;
    }
}
