namespace HpSearch.Workers.Data;

/// <summary>The cache's binary format: magic "HPDS1", classes, channels, height, width, count (int32 LE), then one
/// label byte per example, then the examples' pixels as bytes (row-major, channel first).</summary>
internal static class DatasetFile
{
    private const string Magic = "HPDS1";

    public static void Write(string path, RawDataset raw)
    {
        if (raw.Bytes is null) throw new ArgumentException("Only byte data sets are cached.", nameof(raw));
        using var w = new BinaryWriter(File.Create(path));
        w.Write(Magic.ToCharArray());
        w.Write(raw.Classes); w.Write(raw.Channels); w.Write(raw.Height); w.Write(raw.Width); w.Write(raw.Count);
        foreach (var l in raw.Labels) w.Write((byte)l);
        w.Write(raw.Bytes);
    }

    public static RawDataset Read(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        if (new string(r.ReadChars(Magic.Length)) != Magic) throw new InvalidDataException($"{path} is not a dataset cache file.");
        int classes = r.ReadInt32(), channels = r.ReadInt32(), height = r.ReadInt32(), width = r.ReadInt32(), count = r.ReadInt32();
        var labels = r.ReadBytes(count).Select(b => (int)b).ToArray();
        var bytes = r.ReadBytes(count * channels * height * width);
        if (labels.Length != count || bytes.Length != count * channels * height * width)
            throw new InvalidDataException($"{path} is truncated.");
        return new RawDataset(classes, channels, height, width, labels, bytes, null);
    }
}
