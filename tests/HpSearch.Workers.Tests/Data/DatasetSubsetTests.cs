using HpSearch.Workers.Data;

namespace HpSearch.Workers.Tests.Data;

public class DatasetSubsetTests
{
    [Fact]
    public void Take_KeepsThePrefixesOfTrainAndValidation_AndTheWholeTestSplit()
    {
        var full = SyntheticDatasets.CreateBlobs();
        var part = DatasetSubset.Take(full, "blobs-small", 100, 20);
        Assert.Equal(("blobs-small", 100, 20, full.TestCount), (part.Name, part.TrainCount, part.ValCount, part.TestCount));
        Assert.Equal(full.TrainX.AsSpan(0, 100 * full.Features).ToArray(), part.TrainX);
        Assert.Equal(full.ValY[..20], part.ValY);
        Assert.Same(full.TestX, part.TestX);
        // The splits were shuffled with a fixed seed: a prefix still holds every class.
        Assert.Equal(full.Classes, part.TrainY.Distinct().Count());
    }

    [Fact]
    public void Catalog_ListsFashionMnist10k()
    {
        var catalog = new DatasetCatalog(new DatasetOptions { CacheDirectory = DatasetCatalogTests.SharedCache });
        Assert.Contains(DatasetCatalog.FashionMnist10k, catalog.Names);
    }
}
