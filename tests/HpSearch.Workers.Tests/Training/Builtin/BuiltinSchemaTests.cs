using System.Text.Json;
using HpSearch.Domain.Search;
using HpSearch.Domain.Validation;
using HpSearch.Workers.Data;
using HpSearch.Workers.Tests.Data;
using HpSearch.Workers.Training;
using HpSearch.Workers.Training.Builtin;

namespace HpSearch.Workers.Tests.Training.Builtin;

/// <summary>The built-in trainer's published schema: every documented parameter, bounds that refuse absurd sizes, and a
/// memory estimate that grows with the model and never wraps.</summary>
public sealed class BuiltinSchemaTests
{
    private static readonly DatasetCatalog Datasets = new(new DatasetOptions { CacheDirectory = DatasetCatalogTests.SharedCache });

    private static Dictionary<string, object> Params(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => ParameterValue.FromJson(p.Value));

    [Fact]
    public void Schema_NamesEveryParameterTheConfigReads()
    {
        var documented = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "trainer-parameters.md"));
        foreach (var name in BuiltinSchema.Rules.Keys)
            Assert.Contains($"`{name}`", documented);
    }

    [Fact]
    public void Check_RefusesOverflowingWidths_NamingTheElement()
    {
        var errors = new SpecErrors();
        BuiltinSchema.Create(Datasets).Check(Params("""{ "hidden": [65536, 65537] }"""), new SearchSpace([]), "builtin", errors);
        Assert.True(errors.Has("params.hidden[0]"), errors.ToString());
        Assert.True(errors.Has("params.hidden[1]"), errors.ToString());
    }

    [Fact]
    public void Estimate_GrowsWithTheModel_AndCountsTheData()
    {
        var estimate = BuiltinSchema.Create(Datasets).EstimateBytes!;
        var small = estimate(Params("""{ "hidden": [16] }"""), "mnist")!.Value;
        var large = estimate(Params("""{ "hidden": [4096, 4096], "batchSize": 1024 }"""), "mnist")!.Value;
        Assert.True(small > 10_000L * 784 * 4, $"{small}"); // the data set alone
        Assert.True(large > small + 2L * 4096 * 4096 * 4, $"{large}");
    }

    [Fact]
    public void Estimate_OfTheIssuesWidths_IsFarAboveAnyLimit()
    {
        var estimate = BuiltinSchema.Create(Datasets).EstimateBytes!;
        Assert.True(estimate(Params("""{ "hidden": [65536, 65537] }"""), "mnist") > 64L * 1024 * 1024 * 1024);
    }
}
