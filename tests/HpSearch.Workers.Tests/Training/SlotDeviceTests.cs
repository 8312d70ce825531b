using HpSearch.Workers.Data;
using HpSearch.Workers.Tests.Data;
using HpSearch.Workers.Training;
using HpSearch.Workers.Training.Builtin;
using HpSearch.Workers.Training.TorchSharp;

namespace HpSearch.Workers.Tests.Training;

public class SlotDeviceTests
{
    [Theory]
    [InlineData("gpu", 0, "cuda:0")]
    [InlineData("gpu", 3, "cuda:3")]
    [InlineData("gpu-a100", 1, "cuda:1")]
    [InlineData("cpu", 2, "cpu")]
    [InlineData("big-cpu", 0, "cpu")]
    public void Of_GivesSlotNOfAGpuPoolTheNthGpu_AndTheCpuElsewhere(string pool, int slot, string device) =>
        Assert.Equal(device, SlotDevice.Of(pool, slot));

    [Fact]
    public void AutoTrainer_PicksTheBuiltinEngineOnCpuPools_AndTorchSharpOnGpuPools_AndIsTheDefault()
    {
        var datasets = new DatasetCatalog(new DatasetOptions { CacheDirectory = DatasetCatalogTests.SharedCache });
        var builtin = new BuiltinTrainer(datasets, new BuiltinTrainerOptions());
        var torchSharp = new TorchSharpTrainer(datasets, new TorchSharpTrainerOptions());
        var auto = new AutoTrainer(builtin, torchSharp);

        Assert.Same(builtin, auto.For("cpu"));
        Assert.Same(torchSharp, auto.For("gpu"));
        Assert.Equal("auto", new TrainerCatalog([builtin, torchSharp, auto], datasets).DefaultTrainer);
        Assert.Equal("builtin", new TrainerCatalog([builtin], datasets).DefaultTrainer);
    }
}
