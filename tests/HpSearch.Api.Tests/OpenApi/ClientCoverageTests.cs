using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Client;

namespace HpSearch.Api.Tests.OpenApi;

/// <summary>The typed client (clients/dotnet/HpSearch.Client) and the OpenAPI document stay in step: every operation has a
/// client method, every client method names a real operation, and the client reads no field the document lacks.</summary>
public sealed class ClientCoverageTests(ApiOnlyFixture fixture) : IClassFixture<ApiOnlyFixture>
{
    private async Task<JsonElement> DocumentAsync() => await fixture.Client.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");

    private static readonly List<(MethodInfo Method, ApiOperationAttribute Operation)> ClientMethods =
        typeof(HpSearchClient).GetMethods().Select(m => (m, m.GetCustomAttribute<ApiOperationAttribute>()))
            .Where(x => x.Item2 is not null).Select(x => (x.m, x.Item2!)).ToList();

    [Fact]
    public async Task EveryDocumentedOperation_HasAClientMethod()
    {
        var doc = await DocumentAsync();
        var missing = new List<string>();
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
            foreach (var op in path.Value.EnumerateObject())
            {
                var id = op.Value.GetProperty("operationId").GetString();
                var method = op.Name.ToUpperInvariant();
                if (!ClientMethods.Any(c => c.Operation.OperationId == id && c.Operation.Method == method && c.Operation.Path == path.Name))
                    missing.Add($"{method} {path.Name} ({id})");
            }
        Assert.True(missing.Count == 0, "operations without a method in HpSearchClient: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task EveryClientMethod_CallsADocumentedOperation()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        foreach (var (method, op) in ClientMethods)
        {
            Assert.True(paths.TryGetProperty(op.Path, out var item), $"{method.Name}: {op.Path} is not in the document");
            Assert.True(item.TryGetProperty(op.Method.ToLowerInvariant(), out var operation), $"{method.Name}: no {op.Method} {op.Path}");
            Assert.Equal(op.OperationId, operation.GetProperty("operationId").GetString());
        }
        Assert.Equal(ClientMethods.Count, ClientMethods.Select(c => c.Operation.OperationId).Distinct().Count());
    }

    [Theory]
    [InlineData(typeof(Experiment), "ExperimentSummaryDto")]
    [InlineData(typeof(TrialCounts), "TrialCountsDto")]
    [InlineData(typeof(Objective), "ObjectiveDto")]
    [InlineData(typeof(FrontMember), "FrontMemberDto")]
    [InlineData(typeof(TrialLease), "TrialLeaseDto")]
    [InlineData(typeof(Trial), "TrialSummaryDto")]
    [InlineData(typeof(EpochMetrics), "EpochDto")]
    [InlineData(typeof(Curves), "CurvesDto")]
    [InlineData(typeof(TrialCurve), "TrialCurveDto")]
    [InlineData(typeof(Importance), "ImportanceDto")]
    [InlineData(typeof(ParameterImportance), "ParameterImportanceDto")]
    [InlineData(typeof(WorkerNode), "WorkerNodeDto")]
    [InlineData(typeof(Schedule), "ScheduleDto")]
    [InlineData(typeof(ScheduleRun), "ScheduleRunDto")]
    [InlineData(typeof(ScheduleRequest), "ScheduleBody")]
    [InlineData(typeof(ApiKeyInfo), "ApiKeyDto")]
    [InlineData(typeof(CreatedApiKey), "CreatedApiKeyDto")]
    [InlineData(typeof(Artifact), "ArtifactDto")]
    public async Task ClientModel_ReadsOnlyFieldsTheDocumentHas(Type model, string schema)
    {
        var properties = (await DocumentAsync()).GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties");
        foreach (var p in model.GetProperties().Where(p => p.SetMethod is not null))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(p.Name);
            Assert.True(properties.TryGetProperty(name, out _), $"{model.Name}.{p.Name}: {schema} has no '{name}'");
        }
    }
}
