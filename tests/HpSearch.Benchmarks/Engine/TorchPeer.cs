using System.Diagnostics;
using System.Text.Json.Nodes;
using HpSearch.Workers.Data;

namespace HpSearch.Benchmarks.Engine;

/// <summary>Runs <c>peers/torch_engine.py</c> (Debian's python3-torch) on exactly the same splits: the data set is
/// exported once from the catalog to a flat file of bytes (pixels ×255, labels) that the script memory-maps.</summary>
internal static class TorchPeer
{
    public static async Task<JsonObject> RunAsync(EngineBenchOptions o, DatasetCatalog catalog)
    {
        var data = await catalog.LoadAsync(o.Dataset, default);
        var export = Path.Combine(o.Cache, o.Dataset + ".peer.bin");
        if (!File.Exists(export)) Export(data, export);
        var script = Path.Combine(AppContext.BaseDirectory, "peers", "torch_engine.py");
        var psi = new ProcessStartInfo(o.Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { script, "--data", export, "--model", o.Model, "--batch-size", $"{o.BatchSize}", "--epochs", $"{o.Epochs}",
                     "--threads", $"{o.Threads}", "--seed", $"{o.Seed}", "--height", $"{data.Height}", "--width", $"{data.Width}", "--channels", $"{data.Channels}" })
            psi.ArgumentList.Add(a);
        // Without a passive wait policy PyTorch's OpenMP threads spin and it runs ~3× slower on 2 shared cores.
        psi.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        psi.Environment["OMP_NUM_THREADS"] = $"{o.Threads}";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {o.Python}.");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"The PyTorch peer failed ({p.ExitCode}): {await stderr}");
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        return JsonNode.Parse(line)!.AsObject();
    }

    /// <summary>int32 train/val/test counts, features, classes; then labels (bytes) and pixels (round(v·255) bytes) per split.</summary>
    private static void Export(Dataset d, string path)
    {
        var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var w = new BinaryWriter(File.Create(tmp)))
        {
            foreach (var v in new[] { d.TrainCount, d.ValCount, d.TestCount, d.Features, d.Classes }) w.Write(v);
            foreach (var y in new[] { d.TrainY, d.ValY, d.TestY }) w.Write(y.Select(v => (byte)v).ToArray());
            foreach (var x in new[] { d.TrainX, d.ValX, d.TestX }) w.Write(x.Select(v => (byte)MathF.Round(v * 255)).ToArray());
        }
        File.Move(tmp, path, overwrite: true);
    }
}
