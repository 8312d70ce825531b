using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;

namespace HpSearch.Api.Tests.Hostile;

/// <summary>Keys with scopes: an admin key creates, lists and revokes them; each key can do what its scopes say.</summary>
public sealed class ApiKeyTests(ApiOnlyFixture fixture) : IClassFixture<ApiOnlyFixture>
{
    private HttpClient With(string key)
    {
        var client = fixture.Api.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private async Task<(Guid Id, string Key)> CreateAsync(params string[] scopes)
    {
        var response = await fixture.Client.PostAsJsonAsync("/api/keys", new { name = "k", scopes });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetGuid(), body.GetProperty("key").GetString()!);
    }

    [Fact]
    public async Task AWriteKey_Submits_ButCannotManageKeys()
    {
        var (_, key) = await CreateAsync("write");
        using var client = With(key);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/experiments", HostileSpecs.Valid())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/keys", new { name = "x", scopes = new[] { "admin" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/keys")).StatusCode);
    }

    [Fact]
    public async Task AReadKey_CannotWrite()
    {
        var (_, key) = await CreateAsync("read");
        using var client = With(key);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/experiments", HostileSpecs.Valid())).StatusCode);
    }

    [Fact]
    public async Task ARevokedKey_IsRefused_AndListsShowNoSecret()
    {
        var (id, key) = await CreateAsync("write");
        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Client.DeleteAsync($"/api/keys/{id}")).StatusCode);
        using var client = With(key);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/experiments", HostileSpecs.Valid())).StatusCode);
        var list = await fixture.Client.GetStringAsync("/api/keys");
        Assert.Contains(id.ToString(), list);
        Assert.DoesNotContain(key, list);
    }

    [Theory]
    [InlineData("""{ "name": "k", "scopes": ["root"] }""", "scopes[0]")]
    [InlineData("""{ "name": "k", "scopes": [] }""", "scopes")]
    [InlineData("""{ "scopes": ["read"] }""", "name")]
    [InlineData("""{ "name": "a\u0000", "scopes": ["read"] }""", "name")]
    public async Task CreateKey_Returns400_NamingTheField(string body, string field)
    {
        var response = await fixture.Client.PostAsync("/api/keys", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }
}
