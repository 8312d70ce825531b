using System.Text.Json;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Strategies;
using HpSearch.Domain.Validation;
using HpSearch.Workers.Training;
using HpSearch.Workers.Training.TorchSharp;

namespace HpSearch.Workers.Tests.Training.TorchSharp;

/// <summary>An operator's assembly (tests/HpSearch.SampleModels, copied into custom-models/) is loaded from its folder,
/// named by experiments, and its constructor parameters are searched like any other.</summary>
public class CustomModelTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "custom-models");
    private static readonly Lazy<CustomModelCatalog> Models = new(() => CustomModelCatalog.Load(Folder));
    private static readonly Lazy<TorchSharpTrainer> Trainer = new(() =>
        new TorchSharpTrainer(TorchSharpTrainerTests.Datasets, new TorchSharpTrainerOptions { Threads = 2 }, Models.Value));

    [Fact]
    public void Load_FindsTheModules_AndTheirSearchableConstructorParameters()
    {
        Assert.Equal(["TinyConvNet"], Models.Value.Names);
        Assert.True(Models.Value.TryGet("TinyConvNet", out var model));
        Assert.Equal(["dropout", "filters"], model.Parameters.Order());
        Assert.Contains("filters", Trainer.Value.Schema.Rules.Keys);
        Assert.Contains("lr", Trainer.Value.Schema.Rules.Keys);
    }

    [Fact]
    public async Task TrainAsync_TrainsTheNamedModel_WithItsParameters_AndRepeatsItsCurve()
    {
        var p = new Dictionary<string, object> { ["model"] = "TinyConvNet", ["filters"] = 6L, ["lr"] = 0.01, ["batchSize"] = 32L };
        async Task<(TrainOutcome, RecordingObserver)> TrainAsync()
        {
            var obs = new RecordingObserver();
            var outcome = await Trainer.Value.TrainAsync(TorchSharpTrainerTests.Request(p, 2, dataset: "synthetic-images", seed: 3), obs, default);
            return (outcome, obs);
        }
        var (outcome, first) = await TrainAsync();
        var (_, second) = await TrainAsync();

        Assert.Equal(TrainStatus.Completed, outcome.Status);
        Assert.Equal(2, first.Epochs.Count);
        Assert.Equal(first.Epochs.Select(e => e.Metrics["valLoss"]), second.Epochs.Select(e => e.Metrics["valLoss"]));
        var request = TorchSharpTrainerTests.Request(p, 2, dataset: "synthetic-images", seed: 3);
        var (_, custom) = Trainer.Value.Parse(request);
        var data = await TorchSharpTrainerTests.Datasets.LoadAsync("synthetic-images", default);
        using var run = Trainer.Value.Start(Trainer.Value.Parse(request).Config, custom, data, request, "cpu");
        Assert.Equal(6, run.Network.Module.parameters().First(w => w.dim() == 4).shape[0]);
    }

    [Fact]
    public void Spec_SearchesTheConstructorParameters_AndRejectsAModelNotConfigured()
    {
        var catalog = new TrainerCatalog([Trainer.Value], TorchSharpTrainerTests.Datasets);
        var ok = Parse(catalog, """{ "model": "TinyConvNet" }""", """{ "filters": { "type": "categorical", "values": [4, 8] }, "lr": { "type": "logUniform", "low": 0.001, "high": 0.1 } }""");
        Assert.True(ok.Errors.IsEmpty, ok.Errors.ToString());
        Assert.Equal("torchsharp", ok.Spec!.Trainer);

        var unknown = Parse(catalog, """{ "model": "../../evil.dll" }""", """{ "filters": { "type": "categorical", "values": [4] } }""");
        Assert.Null(unknown.Spec);
        Assert.Contains("params.model", unknown.Errors.ToDictionary().Keys);

        var searched = Parse(catalog, "{}", """{ "model": { "type": "categorical", "values": ["mlp", "NoSuchNet"] } }""");
        Assert.Contains("searchSpace.model", searched.Errors.ToDictionary().Keys);
    }

    private static (ExperimentSpec? Spec, SpecErrors Errors) Parse(ISpecCatalog catalog, string fixedParams, string searchSpace)
    {
        var json = $$"""
            { "name": "custom", "trainer": "torchsharp", "dataset": "synthetic-images", "params": {{fixedParams}},
              "searchSpace": {{searchSpace}}, "budget": { "maxTrials": 2 } }
            """;
        using var doc = JsonDocument.Parse(json);
        var errors = new SpecErrors();
        return (ExperimentSpec.TryParse(doc.RootElement, catalog, errors), errors);
    }
}
