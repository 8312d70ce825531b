using System.Diagnostics;

namespace HpSearch.Cli.Tests;

/// <summary>Runs the built command line (HpSearch.Cli.dll) as its own process, output redirected (so: plain output), with
/// only the environment given (no HPSEARCH_* from the machine, and a config path that does not exist unless given).</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "HpSearch.Cli.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("HPSEARCH_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        start.Environment["HPSEARCH_CONFIG"] = Path.Combine(Path.GetTempPath(), $"hpsearch-no-config-{Guid.NewGuid():N}.json");
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"hpsearch {string.Join(' ', args)} did not finish: {await output}");
        }
        return new Result(process.ExitCode, await output, await error);
    }
}
