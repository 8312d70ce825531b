using System.Text.Json;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Validation;
using HpSearch.Workers.Data;
using HpSearch.Workers.Tests.Data;
using HpSearch.Workers.Training;
using HpSearch.Persistence.Experiments;
using Microsoft.Extensions.Logging.Abstractions;
using HpSearch.Workers.Training.Command;

namespace HpSearch.Workers.Tests.Training;

/// <summary>Controllers and schedule firings run on any node; a stored spec naming a command trainer this node lacks still reads.</summary>
public sealed class StoredSpecCatalogTests
{
    private const string Spec = """
        { "name": "gpu-run", "trainer": "torch", "dataset": "synthetic-blobs", "pool": "gpu",
          "searchSpace": { "lr": { "type": "logUniform", "low": 1e-4, "high": 1e-1 } } }
        """;

    private static TrainerCatalog Catalog(params ITrainer[] trainers) =>
        new(trainers, new DatasetCatalog(new DatasetOptions { CacheDirectory = DatasetCatalogTests.SharedCache }));

    [Fact]
    public void Parse_AcceptsTheStoredTrainer_OnANodeWithoutIt()
    {
        using var doc = JsonDocument.Parse(Spec);
        var here = Catalog();
        Assert.Throws<SpecException>(() => ExperimentSpec.Parse(doc.RootElement, here));

        var spec = ExperimentSpec.Parse(doc.RootElement, new StoredSpecCatalog(here, "torch"));
        Assert.Equal("torch", spec.Trainer);
        Assert.Equal("gpu", spec.Pool);
    }

    [Fact]
    public void PoolOf_IsTheCommandTrainersPool_AndItIsTheSpecsDefault()
    {
        var torch = new CommandTrainer(new CommandTrainerOptions { Name = "torch", Executable = "/bin/true", Pool = "gpu" }, NullLogger<CommandTrainer>.Instance);
        var catalog = Catalog(torch);
        Assert.Equal("gpu", catalog.PoolOf("torch"));

        using var doc = JsonDocument.Parse(Spec.Replace(", \"pool\": \"gpu\"", ""));
        var errors = new SpecErrors();
        var spec = ExperimentSpec.TryParse(doc.RootElement, catalog, errors);
        Assert.True(errors.IsEmpty, errors.ToString());
        Assert.Equal("gpu", spec!.Pool);
    }
}
