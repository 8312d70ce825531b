using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;

namespace HpSearch.Api.Tests.OpenApi;

public sealed class OpenApiDocsTests(ApiOnlyFixture fixture) : IClassFixture<ApiOnlyFixture>
{
    [Fact]
    public async Task SwaggerDocument_ListsEveryRoute_WithTheExampleSpec()
    {
        var doc = await fixture.Client.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        var paths = doc.GetProperty("paths");
        foreach (var route in new[]
                 {
                     "/api/experiments", "/api/experiments/{id}", "/api/experiments/{id}/trials", "/api/experiments/{id}/cancel",
                     "/api/experiments/{id}/events", "/api/experiments/{id}/export", "/api/trials/{id}", "/api/workers",
                     "/health/live", "/health/ready",
                 })
            Assert.True(paths.TryGetProperty(route, out _), $"{route} is missing from the OpenAPI document");
        var example = paths.GetProperty("/api/experiments").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal("asha", example.GetProperty("earlyStopping").GetProperty("kind").GetString());
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
}
