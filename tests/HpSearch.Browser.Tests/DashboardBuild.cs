using System.Diagnostics;

namespace HpSearch.Browser.Tests;

/// <summary>Finds the repository and makes sure the dashboard bundle exists in Api/wwwroot.</summary>
public static class DashboardBuild
{
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HpSearch.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("HpSearch.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Builds web/ into Api/wwwroot when the test command did not (npm ci + vite build, ~10 s).</summary>
    public static void Ensure()
    {
        var root = RepoRoot();
        if (File.Exists(Path.Combine(root, "Api", "wwwroot", "index.html")))
            return;
        var web = Path.Combine(root, "web");
        if (!Directory.Exists(Path.Combine(web, "node_modules")))
            Run(web, "npm", "ci --no-audit --no-fund");
        Run(web, "npm", "run build");
    }

    private static void Run(string dir, string file, string args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {args} failed ({p.ExitCode}): {stdout.Result}\n{stderr.Result}");
    }
}
