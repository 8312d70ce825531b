using HpSearch.Benchmarks.Engine;

// Subcommands dispatch on the first argument: `engine ...` (more to come beside it).
return args.FirstOrDefault() switch
{
    "engine" => await EngineBench.RunAsync(args[1..]),
    "gemm" => GemmBench.Run(args[1..]),
    "profile" => StepProfile.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: hpsearch bench engine --model mlp|cnn --dataset fashion-mnist --batch-size N --epochs E --threads T");
    Console.Error.WriteLine("                             [--gemm auto|managed|openblas|naive] [--runs R] [--peer torch] [--compare] [--cache DIR]");
    return 2;
}
