if (args.Length > 0 && args[0] == "dashboard") return await HpSearch.Benchmarks.Dashboard.DashboardBenchmark.RunAsync(args[1..]);
Console.WriteLine("bench");
return 0;
