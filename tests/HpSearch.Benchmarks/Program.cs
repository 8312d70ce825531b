using HpSearch.Benchmarks.AskTell;
using HpSearch.Benchmarks.Dashboard;
using HpSearch.Benchmarks.Engine;
using HpSearch.Benchmarks.Jobs;
using HpSearch.Benchmarks.Scale;
using HpSearch.Benchmarks.Search;

// Subcommands dispatch on the first argument; each prints JSON lines.
return args.FirstOrDefault() switch
{
    "engine" => await EngineBench.RunAsync(args[1..]),
    "gemm" => GemmBench.Run(args[1..]),
    "profile" => StepProfile.Run(args[1..]),
    "dashboard" => await DashboardBenchmark.RunAsync(args[1..]),
    "search" => await SearchBenchmark.RunAsync(args[1..]),
    "jobs" => await JobsBenchmark.RunAsync(args[1..]),
    "asktell" => await AskTellBenchmark.RunAsync(args[1..]),
    "scale" => await ScaleBenchmark.RunAsync(args[1..]),
    "scale-read" => await ReadLatency.RunAsync(args[1..]),
    "scale-seed" => await SeedBenchmark.RunAsync(args[1..]),
    "scale-streams" => await StreamLoad.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: hpsearch bench engine --model mlp|cnn --dataset fashion-mnist --batch-size N --epochs E --threads T");
    Console.Error.WriteLine("                             [--gemm auto|managed|openblas|naive] [--runs R] [--peer torch|torchsharp] [--compare] [--no-debian-torch]");
    Console.Error.WriteLine("                             [--gemm-peak GFLOPS] [--cache DIR]");
    Console.Error.WriteLine("       hpsearch bench dashboard [--trials 2000] [--epochs 20]");
    Console.Error.WriteLine("       hpsearch bench jobs");
    Console.Error.WriteLine("       hpsearch bench asktell [--trials 200] [--epochs 10] [--no-postgres-peer]");
    Console.Error.WriteLine("       hpsearch bench scale [--sizes 1000,10000,100000] [--epochs 20] [--running 10] [--legacy 20,5,2]");
    Console.Error.WriteLine("       hpsearch bench scale-read [--sizes 1000,100000] [--clients 1,10,100] [--requests 300] [--skip-cold] [--skip-export] [--before-api DLL]");
    Console.Error.WriteLine("       hpsearch bench scale-seed [--trials 100000] [--epochs 20] [--paths bulk,triggers]");
    Console.Error.WriteLine("       hpsearch bench scale-streams [--streams 1,100,500] [--seconds 30] [--slots 8] [--before-api DLL]");
    Console.Error.WriteLine("       hpsearch bench search [--slots 1] [--threads 2] [--runs none,median,asha] [--strategy random|tpe|bohb] [--peer optuna] [--six-step] [--seeds 1,2,3]");
    return 2;
}
