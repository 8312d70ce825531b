namespace HpSearch.Benchmarks.Search;

/// <summary>The flags of <c>bench search</c>; the defaults are issue 4's sweep.</summary>
internal sealed record SearchBenchOptions
{
    public string Dataset { get; init; } = "fashion-mnist-10k";
    public int Trials { get; init; } = 30;
    public int Epochs { get; init; } = 8;
    public int Seed { get; init; } = 42;
    /// <summary>Worker slots (trials at once, = the sweep's parallelism) and engine threads per slot. One slot of two
    /// threads beat two slots of one on this 2-core machine (ASHA 52–62 s against 79 s, docs/performance.md).</summary>
    public int Slots { get; init; } = 1;
    public int Threads { get; init; } = 2;
    /// <summary>Stopping rules to run, in order: none, median, asha.</summary>
    public IReadOnlyList<string> Runs { get; init; } = ["none", "median", "asha"];
    /// <summary>The service's strategy: random, tpe or bohb (bohb runs its own brackets: --runs asha only). With a peer,
    /// Optuna uses its TPESampler for tpe and bohb, its RandomSampler for random.</summary>
    public string Strategy { get; init; } = "random";
    /// <summary>"optuna": also run peers/optuna_search.py on the same data and print the ratios.</summary>
    public string? Peer { get; init; }
    /// <summary>Run a six-step experiment on the data set instead of the sweeps, and print its stages.</summary>
    public bool SixStep { get; init; }
    /// <summary>The dataset cache: the hosted API's data folder is its parent, so it must end in <c>datasets</c>.</summary>
    public string Cache { get; init; } = Path.Combine(Path.GetTempPath(), "hpsearch-bench", "datasets");
    public string Python { get; init; } = "/usr/bin/python3";
    /// <summary>Trials of an untimed sweep (another seed, 2 epochs, ASHA) run first, so the timed runs meet a service that has
    /// run a sweep before (JIT-compiled, connection pools open), as a running service is; 0 times a cold start.</summary>
    public int Warmup { get; init; } = 6;
    /// <summary>Optuna tries the service's own 30 configurations (from the first timed run, in trial order) instead of
    /// drawing its own, so the accuracies compare trainers and stopping rules, not two random draws.</summary>
    public bool SameConfigs { get; init; }
    /// <summary>Issue 14's comparison: for each seed, the service's random + ASHA, tpe + ASHA and bohb, and Optuna's TPE +
    /// successive halving, then the means over the seeds (<c>--seeds 1,2,3</c>; replaces --runs/--strategy).</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [];

    public static SearchBenchOptions Parse(string[] args)
    {
        var o = new SearchBenchOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            o = args[i] switch
            {
                "--dataset" => o with { Dataset = Next() },
                "--trials" => o with { Trials = int.Parse(Next()) },
                "--epochs" => o with { Epochs = int.Parse(Next()) },
                "--seed" => o with { Seed = int.Parse(Next()) },
                "--slots" => o with { Slots = int.Parse(Next()) },
                "--threads" => o with { Threads = int.Parse(Next()) },
                "--runs" => o with { Runs = Next().Split(',', StringSplitOptions.RemoveEmptyEntries) },
                "--peer" => o with { Peer = Next() },
                "--strategy" => o with { Strategy = Next() },
                "--six-step" => o with { SixStep = true },
                "--warmup" => o with { Warmup = int.Parse(Next()) },
                "--same-configs" => o with { SameConfigs = true },
                "--seeds" => o with { Seeds = Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList() },
                "--cache" => o with { Cache = Next() },
                "--python" => o with { Python = Next() },
                _ => throw new ArgumentException($"Unknown flag {args[i]}."),
            };
        }
        if (o.Runs.Any(r => r is not ("none" or "median" or "asha"))) throw new ArgumentException("--runs takes none, median, asha.");
        if (o.Peer is not (null or "optuna")) throw new ArgumentException("--peer must be optuna.");
        if (o.Strategy is not ("random" or "tpe" or "bohb")) throw new ArgumentException("--strategy takes random, tpe, bohb.");
        if (o.Strategy == "bohb" && o.Runs.Any(r => r != "asha")) throw new ArgumentException("--strategy bohb runs its own successive halving: use --runs asha.");
        return o;
    }
}
