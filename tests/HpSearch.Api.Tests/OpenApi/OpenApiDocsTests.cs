using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;

namespace HpSearch.Api.Tests.OpenApi;

public sealed class OpenApiDocsTests(ApiOnlyFixture fixture) : IClassFixture<ApiOnlyFixture>
{
    private async Task<JsonElement> DocumentAsync() => await fixture.Client.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement doc) =>
        doc.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(m => (p.Name, m.Name, m.Value)));

    [Fact]
    public async Task SwaggerDocument_ListsEveryRoute_WithExamplesForEveryStrategyAndStoppingRule()
    {
        var doc = await DocumentAsync();
        var paths = doc.GetProperty("paths");
        foreach (var route in new[]
                 {
                     "/api/experiments", "/api/experiments/{id}", "/api/experiments/{id}/trials", "/api/experiments/{id}/cancel",
                     "/api/experiments/{id}/events", "/api/experiments/{id}/export", "/api/trials/{id}", "/api/workers",
                     "/api/schema/experiment-spec.json", "/health/live", "/health/ready",
                 })
            Assert.True(paths.TryGetProperty(route, out _), $"{route} is missing from the OpenAPI document");
        var examples = paths.GetProperty("/api/experiments").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("examples").EnumerateObject()
            .Select(e => e.Value.GetProperty("value")).ToList();
        var strategies = examples.Select(e => e.TryGetProperty("strategy", out var s) ? s.GetProperty("kind").GetString() : "random").ToHashSet();
        var rules = examples.Select(e => e.TryGetProperty("earlyStopping", out var s) ? s.GetProperty("kind").GetString() : "none").ToHashSet();
        Assert.Superset(new HashSet<string?> { "random", "grid", "six-step", "tpe", "hyperband", "bohb" }, strategies);
        Assert.Superset(new HashSet<string?> { "none", "patience", "median", "asha" }, rules);
    }

    [Fact]
    public async Task EveryOperation_HasASummaryAnOperationIdAndSecurity()
    {
        var doc = await DocumentAsync();
        foreach (var (path, method, op) in Operations(doc))
        {
            Assert.False(string.IsNullOrWhiteSpace(op.TryGetProperty("summary", out var s) ? s.GetString() : null), $"{method} {path} has no summary");
            Assert.True(op.TryGetProperty("operationId", out _), $"{method} {path} has no operationId");
            Assert.True(op.TryGetProperty("security", out _), $"{method} {path} has no security");
        }
        Assert.NotEmpty(doc.GetProperty("servers").EnumerateArray());
        var scheme = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("/api/experiments", "post", "write")]
    [InlineData("/api/experiments/{id}/cancel", "post", "write")]
    [InlineData("/api/schedules/{id}", "put", "write")]
    [InlineData("/api/keys", "get", "admin")]
    [InlineData("/api/keys", "post", "admin")]
    [InlineData("/api/keys/{id}", "delete", "admin")]
    [InlineData("/api/session", "post", "read")]
    public async Task WriteAndAdminRoutes_RequireTheKey_WithTheirScope(string path, string method, string scope)
    {
        var op = (await DocumentAsync()).GetProperty("paths").GetProperty(path).GetProperty(method);
        var security = op.GetProperty("security").EnumerateArray().ToList();
        Assert.Single(security);
        Assert.True(security[0].TryGetProperty("ApiKey", out _));
        Assert.Equal(scope, op.GetProperty("x-hpsearch-scope").GetString());
    }

    [Fact]
    public async Task Reads_TakeTheKeyOptionally_AndProbesAndTheSchemaAreAnonymous()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        var read = paths.GetProperty("/api/experiments/{id}").GetProperty("get").GetProperty("security").EnumerateArray().ToList();
        Assert.Equal(2, read.Count);
        Assert.Contains(read, r => r.EnumerateObject().Count() == 0);
        foreach (var anonymous in new[] { "/health/live", "/health/ready", "/api/schema/experiment-spec.json" })
            Assert.Empty(paths.GetProperty(anonymous).GetProperty("get").GetProperty("security").EnumerateArray());
    }

    [Fact]
    public async Task RequestBodies_AreTypedSchemas()
    {
        var doc = await DocumentAsync();
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        foreach (var (path, method, op) in Operations(doc))
        {
            if (!op.TryGetProperty("requestBody", out var body)) continue;
            var schema = body.GetProperty("content").GetProperty("application/json").GetProperty("schema");
            var name = schema.GetProperty("$ref").GetString()!.Split('/')[^1];
            Assert.True(schemas.GetProperty(name).GetProperty("properties").EnumerateObject().Any(), $"{method} {path}: {name} has no properties");
        }
        Assert.Equal("#/components/schemas/ExperimentSpecBody", doc.GetProperty("paths").GetProperty("/api/experiments").GetProperty("post")
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
    }

    [Fact]
    public async Task NoComponentProperty_IsAnEmptySchema()
    {
        var schemas = (await DocumentAsync()).GetProperty("components").GetProperty("schemas");
        foreach (var schema in schemas.EnumerateObject())
        {
            if (!schema.Value.TryGetProperty("properties", out var properties)) continue;
            foreach (var p in properties.EnumerateObject())
                Assert.True(p.Value.EnumerateObject().Any(), $"{schema.Name}.{p.Name} is an empty schema (an untyped JsonElement?)");
        }
    }

    [Fact]
    public async Task Export_DocumentsBothFormats()
    {
        var content = (await DocumentAsync()).GetProperty("paths").GetProperty("/api/experiments/{id}/export").GetProperty("get")
            .GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.Equal("array", content.GetProperty("application/json").GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal("string", content.GetProperty("text/csv").GetProperty("schema").GetProperty("type").GetString());
    }

    [Fact]
    public async Task SwaggerUi_IsServed()
    {
        var response = await fixture.Client.GetAsync("/swagger/index.html");
        Assert.True(response.IsSuccessStatusCode);
    }

    [Fact]
    public async Task HealthReady_IsHealthy_WhenPostgresAndSchedulerRun()
    {
        var health = await fixture.Client.GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal("healthy", health.GetProperty("checks").GetProperty("postgresql").GetProperty("status").GetString());
        Assert.Equal("healthy", health.GetProperty("checks").GetProperty("scheduler").GetProperty("status").GetString());
    }

    [Fact]
    public async Task SpecSchema_IsServedAsJsonSchema_WithoutAKey()
    {
        using var anonymous = fixture.Api.CreateClient();
        var response = await anonymous.GetAsync("/api/schema/experiment-spec.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/schema+json", response.Content.Headers.ContentType?.MediaType);
        var schema = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.GetProperty("$schema").GetString());
        Assert.EndsWith("/api/schema/experiment-spec.json", schema.GetProperty("$id").GetString());
        Assert.Equal("object", schema.GetProperty("type").GetString());
    }
}
