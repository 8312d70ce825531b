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
    /// <summary>"torch": run only the PyTorch peer; null: only the engine.</summary>
    public string? Peer { get; init; }
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
                "--cache" => o with { Cache = Next() },
                "--python" => o with { Python = Next() },
                _ => throw new ArgumentException($"Unknown flag {args[i]}."),
            };
        }
        if (o.Model is not ("mlp" or "cnn")) throw new ArgumentException("--model must be mlp or cnn.");
        return o;
    }
}
