using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;

namespace HpSearch.Api.Tests.Hostile;

/// <summary>Every request of the corpus gets its status as a ProblemDetails naming its field, and nothing is stored.</summary>
public sealed class MalformedRequestCorpusTests(ApiOnlyFixture fixture) : IClassFixture<ApiOnlyFixture>
{
    private readonly HttpClient _client = fixture.Client;

    public static TheoryData<string> Names() => [.. MalformedRequestCorpus.All.Select(c => c.Name)];

    [Fact]
    public void Corpus_HasAtLeast150Requests_WithDistinctNames()
    {
        Assert.True(MalformedRequestCorpus.All.Count >= 150, $"{MalformedRequestCorpus.All.Count} requests");
        Assert.Equal(MalformedRequestCorpus.All.Count, MalformedRequestCorpus.All.Select(c => c.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Request_GetsItsStatusAndNamesItsField(string name)
    {
        var c = MalformedRequestCorpus.All.Single(x => x.Name == name);
        using var response = await SendAsync(_client, c);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(c.Status == (int)response.StatusCode, $"{c.Name}: expected {c.Status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (c.Field is null) return;
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.EnumerateObject().Any(e => Names(e.Name, c.Field)), $"{c.Name}: expected an error on '{c.Field}', got {errors}");
    }

    [Fact]
    public async Task Corpus_StoresNothing()
    {
        var before = (await _client.GetFromJsonAsync<JsonElement>("/api/experiments")).GetProperty("total").GetInt32();
        foreach (var c in MalformedRequestCorpus.All.Where(c => c.Method == "POST").Take(40))
            (await SendAsync(_client, c)).Dispose();
        Assert.Equal(before, (await _client.GetFromJsonAsync<JsonElement>("/api/experiments")).GetProperty("total").GetInt32());
    }

    /// <summary>The error names the field itself or a part of it (<c>params.hidden</c> is named by <c>params.hidden[1]</c>).</summary>
    private static bool Names(string key, string field) =>
        key == field || key.StartsWith(field + ".", StringComparison.Ordinal) || key.StartsWith(field + "[", StringComparison.Ordinal);

    internal static Task<HttpResponseMessage> SendAsync(HttpClient client, MalformedRequest c)
    {
        var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Url);
        if (c.Body is not null)
        {
            request.Content = new ByteArrayContent(c.Body);
            if (c.ContentType is not null) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(c.ContentType);
        }
        return client.SendAsync(request);
    }
}
