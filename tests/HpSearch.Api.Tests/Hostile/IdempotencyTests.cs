using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Api.Experiments;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HpSearch.Api.Tests.Hostile;

/// <summary>An Idempotency-Key means one body: reused with another it is refused, and a client's key never takes a schedule
/// firing's place.</summary>
public sealed class IdempotencyTests(ApiOnlyFixture fixture) : IClassFixture<ApiOnlyFixture>
{
    private async Task<HttpResponseMessage> PostAsync(string key, string name)
    {
        var spec = HostileSpecs.Valid();
        spec["name"] = name;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/experiments") { Content = JsonContent.Create(spec) };
        request.Headers.Add("Idempotency-Key", key);
        return await fixture.Client.SendAsync(request);
    }

    [Fact]
    public async Task PostExperiment_Returns422_WhenTheKeyIsReusedWithADifferentBody()
    {
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(key, "first")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(key, "first")).StatusCode);
        var reused = await PostAsync(key, "second");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task PostExperiment_StoresAClientKeyApart_SoItCannotPreemptAScheduleFiring()
    {
        var firingKey = $"schedule:{Guid.NewGuid():N}:{DateTimeOffset.UtcNow.UtcTicks}";
        var response = await PostAsync(firingKey, "sneaky");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var scope = fixture.Api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HpSearchDb>();
        Assert.False(await db.Experiments.AnyAsync(e => e.IdempotencyKey == firingKey));
        Assert.Equal(ExperimentsApi.ClientKeyPrefix + firingKey, (await db.Experiments.SingleAsync(e => e.Id == id)).IdempotencyKey);
    }
}
