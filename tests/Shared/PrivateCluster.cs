using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HpSearch.Testing;

/// <summary>
/// A PostgreSQL cluster of a test's own (initdb + pg_ctl, as the postgres user when the tests run as root), on a free
/// loopback port in a temporary folder, so a test can restart it without touching the cluster other tests share.
/// Stopped (immediate) and deleted on dispose.
/// </summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dir;

    private PrivateCluster(string bin, string dir, int port)
    {
        _bin = bin;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};MaxPoolSize=60";

    public static async Task<PrivateCluster> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => d).LastOrDefault()
            : null;
        if (bin is null) throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql.");
        // Not under root's home: the postgres user must be able to reach it.
        var dir = Path.Combine("/tmp", $"hpsearch-pg-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(Path.Combine(dir, "run"));
        var cluster = new PrivateCluster(bin, dir, FreePort());
        if (IsRoot()) await RunAsync("chown", ["-R", "postgres:postgres", dir]);
        await cluster.PgAsync("initdb", ["-D", $"{dir}/data", "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"]);
        await File.AppendAllTextAsync($"{dir}/data/postgresql.conf",
            $"\nlisten_addresses = '127.0.0.1'\nport = {cluster.Port}\nunix_socket_directories = '{dir}/run'\nfsync = off\nmax_connections = 200\n");
        await cluster.PgAsync("pg_ctl", ["start", "-D", $"{dir}/data", "-l", $"{dir}/postgres.log", "-w", "-t", "60", "-s"]);
        return cluster;
    }

    /// <summary>Stops the server (fast shutdown: open sessions are ended) and leaves it down until <see cref="StartAgainAsync"/>.</summary>
    public Task StopAsync() => PgAsync("pg_ctl", ["stop", "-D", $"{_dir}/data", "-m", "fast", "-w", "-t", "60", "-s"]);

    public Task StartAgainAsync() => PgAsync("pg_ctl", ["start", "-D", $"{_dir}/data", "-l", $"{_dir}/postgres.log", "-w", "-t", "60", "-s"]);

    /// <summary>pg_ctl restart -m fast: every session is ended, the server is down for a moment, then accepts again.</summary>
    public Task RestartAsync() => PgAsync("pg_ctl", ["restart", "-D", $"{_dir}/data", "-m", "fast", "-l", $"{_dir}/postgres.log", "-w", "-t", "60", "-s"]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await PgAsync("pg_ctl", ["stop", "-D", $"{_dir}/data", "-m", "immediate", "-w", "-t", "30", "-s"]);
        }
        finally
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private Task PgAsync(string program, string[] args) =>
        IsRoot() ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, program), .. args]) : RunAsync(Path.Combine(_bin, program), args);

    private static async Task RunAsync(string file, string[] args)
    {
        var info = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = "/",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stdout}{await stderr}");
    }

    private static bool IsRoot() => Environment.UserName == "root";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
