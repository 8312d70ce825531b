using System.Text.Json;
using System.Text.Json.Nodes;
using HpSearch.Api.Experiments;
using HpSearch.Api.Schedules;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Domain.Experiments;
using HpSearch.Domain.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace HpSearch.Api.Tests.OpenApi;

/// <summary>The published spec schema describes what the one parser (ExperimentSpec.TryParse) reads.</summary>
public sealed class ExperimentSpecSchemaTests(ApiOnlyFixture fixture) : IClassFixture<ApiOnlyFixture>
{
    private ISpecCatalog Catalog => fixture.Api.Services.GetRequiredService<ISpecCatalog>();

    private static SpecErrors Parse(ISpecCatalog catalog, string json)
    {
        var errors = new SpecErrors();
        using var doc = JsonDocument.Parse(json);
        ExperimentSpec.TryParse(doc.RootElement, catalog, errors);
        return errors;
    }

    [Fact]
    public void TopLevelProperties_AreTheFieldsTheParserReads()
    {
        var schema = ExperimentSpecSchema.Build();
        Assert.Equal(ExperimentSpec.TopLevelFields.Order(), schema.Properties!.Keys.Order());
        Assert.False(schema.AdditionalPropertiesAllowed);
    }

    [Fact]
    public void ScheduleBody_ListsTheFieldsTheScheduleParserReads()
    {
        var names = typeof(ScheduleBody).GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name));
        Assert.Equal(ScheduleRequest.Fields.Order(), names.Order());
    }

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public void EveryExample_IsAcceptedByTheParser(string name)
    {
        var (_, _, json) = SpecExamples.All.Single(e => e.Name == name);
        var errors = Parse(Catalog, json);
        Assert.True(errors.IsEmpty, $"{name}: {JsonSerializer.Serialize(errors.ToDictionary())}");
    }

    public static TheoryData<string> ExampleNames() => [.. SpecExamples.All.Select(e => e.Name)];

    /// <summary>Every object the schema closes (additionalProperties false) is one the parser closes too: an unknown
    /// field there is a 400 naming it.</summary>
    [Fact]
    public void EveryClosedObjectInTheSchema_IsClosedInTheParser()
    {
        var checkedPaths = new List<string>();
        var example = JsonNode.Parse(SpecExamples.All[0].Json)!.AsObject();
        foreach (var path in ClosedObjects(ExperimentSpecSchema.Build(), ""))
        {
            var spec = example.DeepClone().AsObject();
            var target = spec;
            foreach (var segment in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
            {
                if (target[segment] is not JsonObject next)
                {
                    next = new JsonObject();
                    target[segment] = next;
                }
                target = next;
            }
            target["notAField"] = 1;
            var errors = Parse(Catalog, spec.ToJsonString()).ToDictionary();
            var field = path.Length == 0 ? "notAField" : $"{path}.notAField";
            Assert.True(errors.ContainsKey(field), $"the parser did not refuse {field}: {JsonSerializer.Serialize(errors)}");
            checkedPaths.Add(path);
        }
        Assert.Contains("strategy.hyperband", checkedPaths);
        Assert.Contains("earlyStopping", checkedPaths);
    }

    private static IEnumerable<string> ClosedObjects(IOpenApiSchema schema, string path)
    {
        if (schema.AdditionalPropertiesAllowed == false && schema.Properties is not null) yield return path;
        foreach (var (name, child) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
            foreach (var p in ClosedObjects(child, path.Length == 0 ? name : $"{path}.{name}"))
                yield return p;
    }
}
