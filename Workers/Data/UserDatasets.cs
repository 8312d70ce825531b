using System.Buffers.Binary;
using System.Globalization;

namespace HpSearch.Workers.Data;

/// <summary>User data sets from a folder: <c>NAME.csv</c> (one example a line: label, then features in [0,1] or
/// 0..255; an optional header line is skipped) or IDX pairs <c>NAME-images.idx</c> / <c>NAME-labels.idx</c>
/// (the MNIST file format, unsigned bytes).</summary>
internal static class UserDatasets
{
    public static IReadOnlyDictionary<string, string> Find(string? directory)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory)) return found;
        foreach (var f in Directory.EnumerateFiles(directory, "*.csv"))
            found[Path.GetFileNameWithoutExtension(f)] = f;
        foreach (var f in Directory.EnumerateFiles(directory, "*-images.idx"))
            found[Path.GetFileName(f)[..^"-images.idx".Length]] = f;
        return found;
    }

    public static RawDataset Read(string file) => file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? ReadCsv(file) : ReadIdx(file);

    private static RawDataset ReadCsv(string file)
    {
        var labels = new List<int>();
        var values = new List<float>();
        int features = -1;
        foreach (var line in File.ReadLines(file))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var parts = line.Split(',');
            if (!int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var label))
            {
                if (labels.Count == 0) continue; // header
                throw new InvalidDataException($"{file}: bad label '{parts[0]}' on line {labels.Count + 1}.");
            }
            if (features < 0) features = parts.Length - 1;
            if (parts.Length - 1 != features) throw new InvalidDataException($"{file}: line {labels.Count + 1} has {parts.Length - 1} features, expected {features}.");
            labels.Add(label);
            for (int i = 1; i < parts.Length; i++) values.Add(float.Parse(parts[i], CultureInfo.InvariantCulture));
        }
        if (labels.Count == 0) throw new InvalidDataException($"{file} holds no examples.");
        if (labels.Min() < 0) throw new InvalidDataException($"{file}: labels must be 0..C-1.");
        var x = values.ToArray();
        if (x.Max() > 1f) for (int i = 0; i < x.Length; i++) x[i] /= 255f;
        int side = (int)Math.Round(Math.Sqrt(features));
        var (h, w) = side * side == features ? (side, side) : (1, features);
        return new RawDataset(labels.Max() + 1, 1, h, w, labels.ToArray(), null, x);
    }

    private static RawDataset ReadIdx(string imagesFile)
    {
        var labelsFile = imagesFile[..^"-images.idx".Length] + "-labels.idx";
        var img = File.ReadAllBytes(imagesFile);
        var lab = File.ReadAllBytes(labelsFile);
        if (img[2] != 0x08 || lab[2] != 0x08) throw new InvalidDataException("Only unsigned-byte IDX files are supported.");
        int dims = img[3];
        int count = BinaryPrimitives.ReadInt32BigEndian(img.AsSpan(4));
        int h = dims >= 2 ? BinaryPrimitives.ReadInt32BigEndian(img.AsSpan(8)) : 1;
        int w = dims >= 3 ? BinaryPrimitives.ReadInt32BigEndian(img.AsSpan(12)) : 1;
        int c = dims >= 4 ? BinaryPrimitives.ReadInt32BigEndian(img.AsSpan(16)) : 1;
        int header = 4 + 4 * dims;
        int labelCount = BinaryPrimitives.ReadInt32BigEndian(lab.AsSpan(4));
        if (labelCount != count) throw new InvalidDataException($"{imagesFile}: {count} images but {labelCount} labels.");
        var labels = lab.AsSpan(8, count).ToArray().Select(b => (int)b).ToArray();
        var pixels = img.AsSpan(header, count * h * w * c).ToArray();
        // IDX stores (h, w, c) for colour images: convert to channel-first as Dataset promises.
        if (c > 1) pixels = ToChannelFirst(pixels, count, h, w, c);
        return new RawDataset(labels.Max() + 1, c, h, w, labels, pixels, null);
    }

    private static byte[] ToChannelFirst(byte[] hwc, int count, int h, int w, int c)
    {
        var chw = new byte[hwc.Length];
        int f = h * w * c;
        for (int n = 0; n < count; n++)
            for (int p = 0; p < h * w; p++)
                for (int k = 0; k < c; k++)
                    chw[n * f + k * h * w + p] = hwc[n * f + p * c + k];
        return chw;
    }
}
