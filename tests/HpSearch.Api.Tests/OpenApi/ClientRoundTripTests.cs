using System.Net;
using System.Text.Json;
using HpSearch.Client;
using HpSearch.Testing.Hosting;

namespace HpSearch.Api.Tests.OpenApi;

/// <summary>The typed client against the service on a real port: keys, schedules, the schema, errors as exceptions.</summary>
public sealed class ClientRoundTripTests : IAsyncLifetime
{
    private KestrelApi _api = null!;
    private HpSearchClient _client = null!;

    public async Task InitializeAsync()
    {
        _api = await KestrelApi.StartAsync();
        _client = new HpSearchClient(new Uri(_api.BaseUrl), KestrelApi.ApiKey);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private const string Template = """
        { "dataset": "synthetic-blobs", "params": { "model": "mlp", "hidden": [8], "epochs": 1 },
          "searchSpace": { "lr": { "type": "logUniform", "low": 0.001, "high": 0.1 } }, "budget": { "maxTrials": 1 } }
        """;

    [Fact]
    public async Task Schedule_IsCreatedPausedResumedAndDeleted_ThroughTheClient()
    {
        var created = await _client.CreateScheduleAsync(new ScheduleRequest("nightly", "0 3 * * *", Json(Template), TimeZone: "UTC"));
        Assert.True(created.Enabled);
        var paused = await _client.UpdateScheduleAsync(created.Id, created.ToRequest() with { Enabled = false });
        Assert.False(paused.Enabled);
        Assert.Null(paused.NextFireTime);
        Assert.Contains(await _client.ListSchedulesAsync(), s => s.Id == created.Id && !s.Enabled);
        var resumed = await _client.UpdateScheduleAsync(created.Id, paused.ToRequest() with { Enabled = true });
        Assert.True(resumed.Enabled);
        Assert.NotNull(resumed.NextFireTime);
        await _client.DeleteScheduleAsync(created.Id);
        var gone = await Assert.ThrowsAsync<HpSearchApiException>(() => _client.GetScheduleAsync(created.Id));
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
    }

    [Fact]
    public async Task CreateExperiment_ThrowsWithEveryBadFieldNamed_WhenTheSpecIsInvalid()
    {
        var e = await Assert.ThrowsAsync<HpSearchApiException>(() => _client.CreateExperimentAsync(Json("""
            { "name": "bad", "dataset": "synthetic-blobs", "searchSpace": { "lr": { "type": "logUniform", "low": 0, "high": 1 } },
              "strategy": { "kind": "nope" } }
            """)));
        Assert.Equal(HttpStatusCode.BadRequest, e.Status);
        Assert.Contains("searchSpace.lr.low", e.Errors.Keys);
        Assert.Contains("strategy.kind", e.Errors.Keys);
    }

    [Fact]
    public async Task Keys_AreCreatedListedAndRevoked_AndAReadKeyCannotWrite()
    {
        var key = await _client.CreateKeyAsync("reader", ["read"]);
        Assert.StartsWith("hps_", key.Key);
        Assert.Contains(await _client.ListKeysAsync(), k => k.Id == key.Id && k.RevokedAt is null);
        using (var reader = new HpSearchClient(new Uri(_api.BaseUrl), key.Key))
        {
            var refused = await Assert.ThrowsAsync<HpSearchApiException>(() => reader.CreateExperimentAsync(Json("{}")));
            Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        }
        await _client.RevokeKeyAsync(key.Id);
        Assert.Contains(await _client.ListKeysAsync(), k => k.Id == key.Id && k.RevokedAt is not null);
    }

    [Fact]
    public async Task SchemaAndHealth_AreReadWithoutAKey()
    {
        using var anonymous = new HpSearchClient(new Uri(_api.BaseUrl), apiKey: null);
        var schema = await anonymous.GetExperimentSpecSchemaAsync();
        Assert.Contains("searchSpace", schema.GetProperty("required").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal("healthy", (await anonymous.GetReadinessAsync()).Status);
        Assert.Equal("healthy", (await anonymous.GetLivenessAsync()).Status);
        var refused = await Assert.ThrowsAsync<HpSearchApiException>(() => anonymous.ListKeysAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }
}
