using System.Net;
using HpSearch.Api.Tests.Infrastructure;

namespace HpSearch.Api.Tests.Hostile;

/// <summary>When reads need a key, the dashboard's EventSource and export links (which cannot send headers) work through
/// a read-only session cookie; a forged cookie does not.</summary>
public sealed class ReadSessionTests
{
    [Fact]
    public async Task ASessionCookie_OpensReads_WithoutAHeader()
    {
        await using var api = await ApiFactory.StartAsync(workers: false, settings: new Dictionary<string, string> { ["HpSearch:ReadsNeedKey"] = "true" });
        using var browser = api.CreateClient(); // keeps cookies, like a browser
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/experiments")).StatusCode);

        using var login = new HttpRequestMessage(HttpMethod.Post, "/api/session");
        login.Headers.Add("X-Api-Key", ApiFactory.ApiKey);
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(login)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/experiments")).StatusCode);
        // The cookie is for reads only.
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await browser.PostAsync("/api/experiments", new StringContent(HostileSpecs.Valid().ToJsonString(), System.Text.Encoding.UTF8, "application/json"))).StatusCode);
    }

    [Fact]
    public async Task AForgedSessionCookie_IsRefused()
    {
        await using var api = await ApiFactory.StartAsync(workers: false, settings: new Dictionary<string, string> { ["HpSearch:ReadsNeedKey"] = "true" });
        using var client = api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/experiments");
        request.Headers.Add("Cookie", $"hpsearch_read={DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}.{new string('0', 64)}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request)).StatusCode);
    }
}
