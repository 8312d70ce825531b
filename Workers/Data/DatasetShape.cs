namespace HpSearch.Workers.Data;

/// <summary>A data set's example shape and size, known without loading it (for the memory estimate at submit time).</summary>
public sealed record DatasetShape(int Channels, int Height, int Width, int Classes, long Examples)
{
    public long Features => (long)Channels * Height * Width;

    /// <summary>The built-in sets' shapes; user files are assumed MNIST-sized per example, their size in bytes bounding the count.</summary>
    public static DatasetShape Of(DatasetCatalog catalog, string name) => name switch
    {
        "mnist" => new(1, 28, 28, 10, 10_000),
        "fashion-mnist" => new(1, 28, 28, 10, 70_000),
        DatasetCatalog.FashionMnist10k => new(1, 28, 28, 10, 70_000),
        SyntheticDatasets.Blobs => new(1, 1, 16, 10, 600),
        SyntheticDatasets.Images => new(1, 8, 8, 4, 200),
        _ => UserDatasets.Find(catalog.Options.UserDataDirectory).TryGetValue(name, out var file) && File.Exists(file)
            ? new(1, 28, 28, 100, new FileInfo(file).Length / 784 + 1)
            : new(1, 28, 28, 100, 100_000),
    };
}
