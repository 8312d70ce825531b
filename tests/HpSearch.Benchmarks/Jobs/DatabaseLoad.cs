using System.Globalization;
using Npgsql;

namespace HpSearch.Benchmarks.Jobs;

/// <summary>The load a run puts on PostgreSQL: its database's transactions and rows (pg_stat_database) and the CPU time of
/// the cluster's processes (the postmaster and its children, from /proc), sampled before and after.</summary>
internal sealed record DatabaseLoad(long Transactions, long RowsRead, long RowsWritten, double CpuSeconds)
{
    /// <summary>Per second of the run's wall time, from an earlier sample.</summary>
    public object Since(DatabaseLoad before, double seconds) => new
    {
        transactionsPerSecond = Math.Round((Transactions - before.Transactions) / seconds, 1),
        rowsReadPerSecond = Math.Round((RowsRead - before.RowsRead) / seconds, 1),
        rowsWrittenPerSecond = Math.Round((RowsWritten - before.RowsWritten) / seconds, 1),
        cpuPerSecond = Math.Round((CpuSeconds - before.CpuSeconds) / seconds, 2),
    };

    public static async Task<DatabaseLoad> SampleAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        // Backends report their counters at the end of a transaction, at most once a second: a fresh snapshot is asked for.
        await using (var clear = new NpgsqlCommand("SELECT pg_stat_clear_snapshot()", conn)) await clear.ExecuteNonQueryAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT xact_commit + xact_rollback, tup_returned + tup_fetched, tup_inserted + tup_updated + tup_deleted,
                   current_setting('data_directory')
            FROM pg_stat_database WHERE datname = current_database()
            """, conn);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        var (transactions, read, written, dataDirectory) = (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3));
        return new DatabaseLoad(transactions, read, written, ClusterCpuSeconds(dataDirectory));
    }

    /// <summary>utime + stime of the postmaster named in the data directory's postmaster.pid and of its children, living or ended.</summary>
    private static double ClusterCpuSeconds(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile)) return double.NaN; // a cluster on another machine or user: not measured
        var postmaster = int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture);
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (IOException) { continue; } // the process ended while the list was read
            catch (UnauthorizedAccessException) { continue; }
            // Fields after the command name (which may hold spaces) in parentheses: state ppid ... utime(14) stime(15).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ppid = int.Parse(fields[1], CultureInfo.InvariantCulture);
            if (pid != postmaster && ppid != postmaster) continue;
            ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            // The postmaster also holds the time of its children that have ended (cutime, cstime).
            if (pid == postmaster) ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        }
        return ticks / 100.0; // USER_HZ
    }
}
