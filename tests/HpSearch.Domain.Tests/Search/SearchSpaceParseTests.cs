using HpSearch.Domain.Search;
using HpSearch.Domain.Validation;

namespace HpSearch.Domain.Tests.Search;

public class SearchSpaceParseTests
{
    private static (SearchSpace Space, SpecErrors Errors) Parse(string json)
    {
        var errors = new SpecErrors();
        return (SearchSpace.Parse(TestSpecs.Json(json), errors), errors);
    }

    [Fact]
    public void Parse_ReadsEveryKind_WhenValid()
    {
        var (space, errors) = Parse("""
            {
              "lr": { "type": "logUniform", "low": 1e-5, "high": 1e-1 },
              "dropout": { "type": "uniform", "low": 0, "high": 0.5 },
              "layers": { "type": "int", "low": 1, "high": 4 },
              "width": { "type": "int", "low": 16, "high": 512, "log": true, "points": 4 },
              "optimizer": { "type": "categorical", "values": ["sgd", "adam"] },
              "batchSize": { "type": "fixed", "value": 64 },
              "activation": { "type": "fixed", "value": "relu" }
            }
            """);
        Assert.True(errors.IsEmpty, errors.ToString());
        Assert.Equal(["lr", "dropout", "layers", "width", "optimizer", "batchSize", "activation"], space.Parameters.Select(p => p.Name));
        Assert.Equal(ParameterKind.LogUniform, space["lr"]!.Kind);
        Assert.True(space["width"]!.IsLogScale);
        Assert.Equal(4, space["width"]!.Points);
        Assert.Equal(ParameterKind.Fixed, space["batchSize"]!.Kind);
        Assert.Equal(64L, space["batchSize"]!.Choices[0]);
        Assert.Equal("relu", space["activation"]!.Choices[0]);
    }

    [Theory]
    [InlineData("""{ "lr": { "type": "uniform", "low": 1, "high": 1 } }""", "searchSpace.lr.low")]
    [InlineData("""{ "lr": { "type": "uniform", "low": 2, "high": 1 } }""", "searchSpace.lr.low")]
    [InlineData("""{ "lr": { "type": "logUniform", "low": 0, "high": 1 } }""", "searchSpace.lr.low")]
    [InlineData("""{ "n": { "type": "int", "low": -1, "high": 8, "log": true } }""", "searchSpace.n.low")]
    [InlineData("""{ "n": { "type": "int", "low": 1.5, "high": 8 } }""", "searchSpace.n.low")]
    [InlineData("""{ "lr": { "type": "gaussian", "low": 0, "high": 1 } }""", "searchSpace.lr.type")]
    [InlineData("""{ "lr": { "low": 0, "high": 1 } }""", "searchSpace.lr.type")]
    [InlineData("""{ "o": { "type": "categorical", "values": [] } }""", "searchSpace.o.values")]
    [InlineData("""{ "o": { "type": "categorical", "values": "adam" } }""", "searchSpace.o.values")]
    [InlineData("""{ "lr": { "type": "uniform", "low": "a", "high": 1 } }""", "searchSpace.lr.low")]
    [InlineData("""{ "lr": { "type": "uniform", "high": 1 } }""", "searchSpace.lr.low")]
    [InlineData("""{ "lr": { "type": "uniform", "low": 0, "high": 1, "points": 0 } }""", "searchSpace.lr.points")]
    [InlineData("""{ "lr": { "type": "uniform", "low": 0, "high": 1, "step": 2 } }""", "searchSpace.lr.step")]
    [InlineData("""{ "lr": { "type": "fixed" } }""", "searchSpace.lr.value")]
    [InlineData("""{ "lr": null }""", "searchSpace.lr")]
    [InlineData("""[1, 2]""", "searchSpace")]
    [InlineData("""{ "batchSize": 64 }""", "searchSpace.batchSize")]
    [InlineData("""{ "o": { "type": "categorical", "values": ["adam", "adam"] } }""", "searchSpace.o.values")]
    [InlineData("""{ "o": { "type": "categorical", "values": [1, 1.0] } }""", "searchSpace.o.values")]
    [InlineData("""{ "o": { "type": "categorical", "values": ["adam", 1] } }""", "searchSpace.o.values")]
    [InlineData("""{ "o": { "type": "categorical", "values": [true, "x"] } }""", "searchSpace.o.values")]
    public void Parse_NamesTheBadField(string json, string field)
    {
        var (_, errors) = Parse(json);
        Assert.True(errors.Has(field), $"expected an error on {field}; got {errors}");
    }

    [Fact]
    public void Parse_ReadsABareValueAsFixed_InAStoredSpec()
    {
        var errors = new SpecErrors();
        var space = SearchSpace.Parse(TestSpecs.Json("""{ "batchSize": 64 }"""), errors, legacyFixedValues: true);
        Assert.True(errors.IsEmpty, errors.ToString());
        Assert.Equal(ParameterKind.Fixed, space["batchSize"]!.Kind);
    }

    [Fact]
    public void Parse_NamesEveryBadParameter_NotJustTheFirst()
    {
        var (space, errors) = Parse("""
            { "a": { "type": "uniform", "low": 3, "high": 1 }, "b": { "type": "what" }, "c": { "type": "uniform", "low": 0, "high": 1 } }
            """);
        Assert.True(errors.Has("searchSpace.a.low"));
        Assert.True(errors.Has("searchSpace.b.type"));
        Assert.Equal(["c"], space.Parameters.Select(p => p.Name));
    }

    [Theory]
    [InlineData(0.001, true)]
    [InlineData(0.2, false)]
    public void Contains_ChecksTheRange(double value, bool inside)
    {
        var p = new ParameterSpec("lr", ParameterKind.LogUniform, 1e-5, 1e-1);
        Assert.Equal(inside, p.Contains(value));
    }
}
