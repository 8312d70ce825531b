using System.Diagnostics;

namespace HpSearch.Workers.Tests.Deployment;

/// <summary>
/// Validates docker-compose.yml offline with `docker-compose config` (no Docker engine needed) and checks
/// the shape a multi-node deployment relies on: services, the PostgreSQL healthcheck, the GPU reservation.
/// </summary>
public sealed class ComposeFileTests
{
    private const string ApiKey = "compose-test-key";

    [Fact]
    public void Config_ListsEveryService_WhenGpuProfileIsOn()
    {
        var services = RunCompose("--profile", "gpu", "config", "--services")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.Equal(["api", "postgres", "worker-cpu", "worker-gpu"], services.Order().ToArray());
    }

    [Fact]
    public void Config_GivesPostgresAHealthcheck_ThatTheApiAndWorkersWaitFor()
    {
        var config = RunCompose("--profile", "gpu", "config");

        var postgres = ServiceBlock(config, "postgres");
        Assert.Contains("healthcheck:", postgres);
        Assert.Contains("pg_isready", postgres);
        Assert.Contains("/var/lib/postgresql/data", postgres);
        foreach (var name in new[] { "api", "worker-cpu", "worker-gpu" })
        {
            var block = ServiceBlock(config, name);
            Assert.Contains("condition: service_healthy", block);
            Assert.Contains("Host=postgres", block);
        }
    }

    [Fact]
    public void Config_TurnsTheEmbeddedPoolOff_InTheApi()
    {
        var api = ServiceBlock(RunCompose("config"), "api");

        Assert.Contains("Workers__Enabled: \"false\"", api);
        Assert.Contains("published: 5080", api);
        Assert.Contains($"HpSearch__ApiKey: {ApiKey}", api);
    }

    [Fact]
    public void Config_MakesTheCpuWorkerScalable_WithTwoSlotsInTheCpuPool()
    {
        var worker = ServiceBlock(RunCompose("config"), "worker-cpu");

        Assert.Contains("Workers__Pools__0__Name: cpu", worker);
        Assert.Contains("Workers__Pools__0__Slots: '2'", worker);
        // --scale worker-cpu=N needs no fixed container name and no host port.
        Assert.DoesNotContain("container_name:", worker);
        Assert.DoesNotContain("ports:", worker);
    }

    [Fact]
    public void Config_ReservesAnNvidiaGpu_ForTheGpuWorker()
    {
        var worker = ServiceBlock(RunCompose("--profile", "gpu", "config"), "worker-gpu");

        Assert.Contains("Workers__Pools__0__Name: gpu", worker);
        // Its command trainer, configured on the worker side (and on the API, which only validates against it).
        Assert.Contains("Trainers__Commands__0__Pool: gpu", worker);
        Assert.Contains("/opt/hpsearch/trainers:ro", worker);
        Assert.Contains("Trainers__Commands__0__Name: torch-mnist", ServiceBlock(RunCompose("config"), "api"));
        var devices = worker[worker.IndexOf("devices:", StringComparison.Ordinal)..];
        Assert.Contains("driver: nvidia", devices);
        Assert.Contains("- gpu", devices[devices.IndexOf("capabilities:", StringComparison.Ordinal)..]);
    }

    [Fact]
    public void Config_BuildsTheGpuWorker_WithTorchSharpsCudaPackage()
    {
        var config = RunCompose("--profile", "gpu", "config");

        Assert.Contains("TORCHSHARP_BACKEND: cuda", ServiceBlock(config, "worker-gpu"));
        Assert.DoesNotContain("TORCHSHARP_BACKEND", ServiceBlock(config, "worker-cpu"));
    }

    [Fact]
    public void Config_BuildsEveryImage_OnDebianSlimWithTheSdkStage_ByDefault()
    {
        var config = RunCompose("--profile", "gpu", "config");

        foreach (var name in new[] { "postgres", "api", "worker-cpu", "worker-gpu" })
        {
            var block = ServiceBlock(config, name);
            Assert.Contains("BASE_IMAGE: debian:bookworm-slim", block);
            Assert.Contains("APP_SOURCE: sdk", block);
            Assert.Contains($"image: hpsearch-{(name == "worker-cpu" ? "worker" : name)}", block);
        }
        Assert.Contains("dockerfile: build/postgres/Dockerfile", ServiceBlock(config, "postgres"));
    }

    [Fact]
    public void Config_TakesTheBaseImageAndPort_FromTheEnvironment()
    {
        var (exitCode, output, error) = Compose(ApiKey, new Dictionary<string, string>
        {
            ["HPSEARCH_BASE_IMAGE"] = "localhost/hpsearch-base:bookworm",
            ["HPSEARCH_APP_SOURCE"] = "context",
            ["HPSEARCH_PORT"] = "5380",
        }, "config");

        Assert.True(exitCode == 0, error);
        var api = ServiceBlock(output.Replace("\r\n", "\n"), "api");
        Assert.Contains("BASE_IMAGE: localhost/hpsearch-base:bookworm", api);
        Assert.Contains("APP_SOURCE: context", api);
        Assert.Contains("published: 5380", api);
    }

    [Fact]
    public void Config_Fails_WhenNoApiKeyIsSet()
    {
        var (exitCode, _, error) = Compose(apiKey: null, environment: null, "config");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("HPSEARCH_API_KEY", error);
    }

    private static string RunCompose(params string[] args)
    {
        var (exitCode, output, error) = Compose(ApiKey, environment: null, args);
        Assert.True(exitCode == 0, $"docker-compose {string.Join(' ', args)} exited with {exitCode}:\n{error}");
        return output.Replace("\r\n", "\n");
    }

    /// <summary>The lines of one service in the normalised config: its name at two spaces, its body deeper.</summary>
    private static string ServiceBlock(string config, string service)
    {
        var lines = config.Split('\n');
        var start = Array.FindIndex(lines, l => l == $"  {service}:");
        Assert.True(start >= 0, $"service {service} is missing from the compose config");
        var end = Array.FindIndex(lines, start + 1, l => l.Length > 0 && !l.StartsWith("   ", StringComparison.Ordinal));
        return string.Join('\n', lines[start..(end < 0 ? lines.Length : end)]);
    }

    private static (int ExitCode, string Output, string Error) Compose(
        string? apiKey, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var executable = FindOnPath("docker-compose");
        Assert.True(executable is not null,
            "docker-compose is not installed: `./hpsearch test` installs it " +
            "(apt-get install --no-install-recommends docker-compose); this test validates docker-compose.yml offline.");

        var root = RepositoryRoot();
        var start = new ProcessStartInfo(executable!)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add("-f");
        start.ArgumentList.Add(Path.Combine(root, "docker-compose.yml"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var name in new[] { "HPSEARCH_DB_PASSWORD", "HPSEARCH_PORT", "HPSEARCH_BASE_IMAGE", "HPSEARCH_APP_SOURCE" })
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        if (apiKey is null)
        {
            start.Environment.Remove("HPSEARCH_API_KEY");
        }
        else
        {
            start.Environment["HPSEARCH_API_KEY"] = apiKey;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("docker-compose config did not finish within 60 s");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "docker-compose.yml")) &&
                File.Exists(Path.Combine(dir.FullName, "HpSearch.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no repository root above {AppContext.BaseDirectory}");
    }
}
