using System.Diagnostics;
using System.Text.Json.Nodes;
using HpSearch.Workers.Data;

namespace HpSearch.Benchmarks;

/// <summary>Runs a script of <c>peers/</c> with Debian's Python (python3-torch, python3-optuna) on exactly the splits the
/// service uses: the data set is exported once from the catalog to a flat file of bytes (pixels ×255, labels).</summary>
internal static class PythonPeer
{
    /// <summary>Runs <paramref name="script"/> and returns its stdout's JSON lines; throws with its stderr when it fails.</summary>
    public static async Task<List<JsonObject>> RunAsync(string python, string script, IEnumerable<string> args, int threads)
    {
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "peers", script));
        foreach (var a in args) psi.ArgumentList.Add(a);
        // Without a passive wait policy PyTorch's OpenMP threads spin and it runs ~3× slower on 2 shared cores.
        psi.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        psi.Environment["OMP_NUM_THREADS"] = $"{threads}";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {python}.");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{script} failed ({p.ExitCode}): {await stderr}");
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
    }

    /// <summary>The data set's export (written once): int32 train/val/test counts, features, classes; then labels (bytes)
    /// and pixels (round(v·255) bytes) per split. Read by <c>load()</c> in peers/torch_engine.py.</summary>
    public static string Export(Dataset d, string cacheDirectory)
    {
        var path = Path.Combine(cacheDirectory, d.Name + ".peer.bin");
        if (File.Exists(path)) return path;
        Directory.CreateDirectory(cacheDirectory);
        var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var w = new BinaryWriter(File.Create(tmp)))
        {
            foreach (var v in new[] { d.TrainCount, d.ValCount, d.TestCount, d.Features, d.Classes }) w.Write(v);
            foreach (var y in new[] { d.TrainY, d.ValY, d.TestY }) w.Write(y.Select(v => (byte)v).ToArray());
            foreach (var x in new[] { d.TrainX, d.ValX, d.TestX }) w.Write(x.Select(v => (byte)MathF.Round(v * 255)).ToArray());
        }
        File.Move(tmp, path, overwrite: true);
        return path;
    }
}
