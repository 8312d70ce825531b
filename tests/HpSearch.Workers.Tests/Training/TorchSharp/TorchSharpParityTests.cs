using HpSearch.Domain.Strategies;
using HpSearch.Workers.Data;
using HpSearch.Workers.Tests.Data;
using HpSearch.Workers.Training;
using HpSearch.Workers.Training.Builtin;
using Xunit.Abstractions;

namespace HpSearch.Workers.Tests.Training.TorchSharp;

/// <summary>The same spec and seeds on the built-in engine and on TorchSharp reach the same test accuracy (within 1 pp,
/// mean of 3 seeds, 2 epochs) on Fashion-MNIST: the MLP on the full training split, the CNN (a small one: libtorch's
/// CPU convolutions are slow here) on the 10k-example subset; both evaluated on the full test split.</summary>
public class TorchSharpParityTests(ITestOutputHelper output)
{
    private static readonly DatasetCatalog Datasets = new(new DatasetOptions { CacheDirectory = DatasetCatalogTests.SharedCache });

    [Fact]
    public Task TestAccuracy_MatchesTheBuiltinEngine_WithinOnePoint_ForAnMlp() => AssertParityAsync("fashion-mnist", new()
    {
        ["model"] = "mlp", ["hidden"] = new List<object> { 256L, 256L }, ["activation"] = "relu", ["init"] = "he",
        ["optimizer"] = "adam", ["lr"] = 1e-3, ["batchSize"] = 128L,
    });

    [Fact]
    public Task TestAccuracy_MatchesTheBuiltinEngine_WithinOnePoint_ForACnn() => AssertParityAsync(DatasetCatalog.FashionMnist10k, new()
    {
        ["model"] = "cnn", ["convChannels"] = new List<object> { 8L, 16L }, ["hidden"] = new List<object> { 64L }, ["activation"] = "relu",
        ["init"] = "he", ["optimizer"] = "adam", ["lr"] = 1e-3, ["batchSize"] = 128L,
    });

    private async Task AssertParityAsync(string dataset, Dictionary<string, object> p)
    {
        var builtin = await MeanTestAccuracyAsync(new BuiltinTrainer(Datasets, new BuiltinTrainerOptions { Threads = 2 }), dataset, p);
        var torchSharp = await MeanTestAccuracyAsync(TorchSharpTrainerTests.Trainer, dataset, p);
        Assert.True(Math.Abs(builtin - torchSharp) <= 0.01, $"builtin {builtin:F4} vs torchsharp {torchSharp:F4}");
        Assert.True(torchSharp > 0.75, $"torchsharp {torchSharp:F4}");
    }

    private async Task<double> MeanTestAccuracyAsync(ITrainer trainer, string dataset, Dictionary<string, object> p)
    {
        var wall = System.Diagnostics.Stopwatch.StartNew();
        var accuracies = new List<double>();
        for (int seed = 1; seed <= 3; seed++)
        {
            var request = new TrainRequest(Guid.NewGuid(), 1, dataset, p, 2, seed, TrialOptions.Default);
            var outcome = await trainer.TrainAsync(request, new RecordingObserver(), default);
            accuracies.Add((await trainer.EvaluateTestAsync(request, outcome.Checkpoint!, default))!.TestAccuracy);
        }
        output.WriteLine($"{trainer.Name}: {string.Join(", ", accuracies.Select(a => a.ToString("F4")))} in {wall.Elapsed.TotalSeconds:F0} s");
        return accuracies.Average();
    }
}
