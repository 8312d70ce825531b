using HpSearch.Domain.Strategies;
using HpSearch.Workers.Data;
using HpSearch.Workers.Tests.Data;
using HpSearch.Workers.Training;
using HpSearch.Workers.Training.Builtin;

namespace HpSearch.Workers.Tests.Training.Builtin;

/// <summary>The engine against a PyTorch reference figure measured on this project's machine.</summary>
public class PyTorchParityTests
{
    /// <summary>PyTorch 1.13 (Debian python3-torch), same model, data splits, batch and optimizer, seeds 1–3: mean test
    /// accuracy 0.8650 (the mean over the three seeds, printed as torch.meanTestAccuracy) by
    /// <c>./hpsearch bench engine --model mlp --dataset fashion-mnist --batch-size 128 --epochs 2 --threads 2 --runs 3 --compare</c>.</summary>
    private const double PyTorchMeanTestAccuracy = 0.8650;

    [Fact]
    public async Task TrainAsync_ReachesPyTorchsTestAccuracy_WithinHalfAPoint_ForTheFashionMnistMlp_AfterTwoEpochs()
    {
        var catalog = new DatasetCatalog(new DatasetOptions { CacheDirectory = DatasetCatalogTests.SharedCache });
        var trainer = new BuiltinTrainer(catalog, new BuiltinTrainerOptions { Threads = 2 });
        // MLP 784-256-256-10, ReLU, He normal, Adam lr 1e-3, batch 128: issue 3's reference model.
        var p = new Dictionary<string, object>
        {
            ["model"] = "mlp", ["hidden"] = new List<object> { 256L, 256L }, ["activation"] = "relu", ["init"] = "he",
            ["optimizer"] = "adam", ["lr"] = 1e-3, ["batchSize"] = 128L, ["epochs"] = 2L,
        };
        var accuracies = new List<double>();
        for (int seed = 1; seed <= 3; seed++)
        {
            var request = new TrainRequest(Guid.NewGuid(), 1, "fashion-mnist", p, 2, seed, TrialOptions.Default);
            var outcome = await trainer.TrainAsync(request, new RecordingObserver(), default);
            accuracies.Add((await trainer.EvaluateTestAsync(request, outcome.Checkpoint!, default))!.TestAccuracy);
        }
        double mean = accuracies.Average();
        Assert.True(Math.Abs(mean - PyTorchMeanTestAccuracy) <= 0.005,
            $"engine mean test accuracy {mean:F4} ({string.Join(", ", accuracies.Select(a => a.ToString("F4")))}) vs PyTorch {PyTorchMeanTestAccuracy:F4}");
    }
}
