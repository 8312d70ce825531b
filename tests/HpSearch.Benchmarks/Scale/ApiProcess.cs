using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HpSearch.Benchmarks.Scale;

/// <summary>
/// The API run as its own process (<c>dotnet HpSearch.Api.dll</c>, embedded workers off) on a loopback port against one
/// database, so its CPU time can be read from /proc and an older build (<c>--before-api</c>, the code before a change)
/// can be measured by the same bench. Killed on dispose.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    public const string ApiKey = "bench-key-0123456789";

    private readonly Process _process;

    private ApiProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public int Pid => _process.Id;

    /// <summary>The API built by this checkout (Release), as <c>./hpsearch bench</c> builds it.</summary>
    public static string DefaultDll() => Path.Combine(Dashboard.DashboardBenchmark.RepoRoot(), "Api", "bin", "Release", "net10.0", "HpSearch.Api.dll");

    public static async Task<ApiProcess> StartAsync(string dll, string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        if (!File.Exists(dll)) throw new FileNotFoundException($"the API build is missing: {dll}");
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ConnectionStrings__HpSearch"] = connectionString;
        info.Environment["HpSearch__ApiKey"] = ApiKey;
        info.Environment["HpSearch__DataDirectory"] = Path.Combine(Path.GetTempPath(), "hpsearch-bench-scale");
        info.Environment["Workers__Enabled"] = "false";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["RateLimits__StreamsPerClient"] = "100000";
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[api {process.Id}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var api = new ApiProcess(process, $"http://127.0.0.1:{port}");
        await Dashboard.DashboardBenchmark.WaitReadyAsync(api.Url);
        return api;
    }

    /// <summary>CPU seconds (user + system) the API process has used so far.</summary>
    public double CpuSeconds()
    {
        var fields = File.ReadAllText($"/proc/{Pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // After the command name: state is field 3, utime and stime are fields 14 and 15 (1-based, man 5 proc).
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
    }

    public HttpClient CreateClient(int maxConnections = 1024)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = maxConnections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri(Url),
            Timeout = TimeSpan.FromMinutes(5),
        };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
