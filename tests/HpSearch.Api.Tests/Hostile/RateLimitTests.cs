using System.Net;
using System.Net.Http.Json;
using HpSearch.Api.Tests.Infrastructure;

namespace HpSearch.Api.Tests.Hostile;

/// <summary>Writes and failed authentications are limited per client; over the limit the answer is a 429 problem.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task Writes_Get429_PastTheLimitPerMinute()
    {
        await using var api = await ApiFactory.StartAsync(workers: false, settings: new Dictionary<string, string> { ["RateLimits:WritesPerMinute"] = "3" });
        using var client = api.CreateAuthorizedClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            statuses.Add((await client.PostAsJsonAsync("/api/experiments", HostileSpecs.Valid())).StatusCode);
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task FailedAuthentications_Get429_PastTheLimitPerMinute()
    {
        await using var api = await ApiFactory.StartAsync(workers: false, settings: new Dictionary<string, string> { ["RateLimits:FailedAuthPerMinute"] = "2" });
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "guess-0123456789abcdef");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await client.PostAsJsonAsync("/api/experiments", HostileSpecs.Valid())).StatusCode);
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task LiveUpdateStreams_Get429_PastTheCapPerClient_AndAFreedSlotOpensAgain()
    {
        await using var api = await ApiFactory.StartAsync(workers: false, settings: new Dictionary<string, string> { ["RateLimits:StreamsPerClient"] = "2" });
        using var client = api.CreateAuthorizedClient();
        var created = await client.PostAsJsonAsync("/api/experiments", HostileSpecs.Valid());
        var id = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString();
        var url = $"/api/experiments/{id}/events";

        var first = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        var second = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        using (var third = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
            Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);
        }

        first.Dispose(); // the client goes away: its stream ends and gives its slot back
        await Polling.UntilAsync(async () =>
        {
            var again = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
            if (again.StatusCode != HttpStatusCode.OK) { again.Dispose(); return null; }
            again.Dispose();
            return default(System.Text.Json.JsonElement);
        }, TimeSpan.FromSeconds(15), "a freed stream slot to open again");
        second.Dispose();
    }
}
