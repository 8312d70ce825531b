using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence;
using HpSearch.Persistence.Model;
using HpSearch.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HpSearch.Api.Tests.Experiments;

/// <summary>GET /api/experiments/{id}/trials/columns: every trial as columns in number order, chunked by <c>after</c>/<c>limit</c>,
/// on the real database through the API.</summary>
public sealed class TrialColumnsTests(ApiOnlyFixture fixture) : IClassFixture<ApiOnlyFixture>
{
    private HttpClient Client => fixture.Client;

    /// <summary>Trials 0..n-1 inserted in reverse number order (so number order is the read's doing): even ones completed with
    /// value n/10 and a momentum parameter, odd ones pruned by asha without a value and without momentum.</summary>
    private async Task<(Guid Id, DateTimeOffset Now)> SeedAsync(int n)
    {
        var dbFactory = fixture.Api.Services.GetRequiredService<IDbContextFactory<HpSearchDb>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var e = new Experiment
        {
            Id = Guid.NewGuid(), Name = "columns", SpecJson = """{ "name": "columns" }""", Strategy = "random", Trainer = "builtin",
            Dataset = "synthetic-blobs", Pool = "cpu", ObjectiveMetric = "valAccuracy", Maximize = true, MaxTrials = n, Parallelism = 1,
            MaxEpochs = 5, CreatedAt = now, StartedAt = now, UpdatedAt = now,
        }.At(ExperimentStatus.Running);
        db.Experiments.Add(e);
        for (var k = n - 1; k >= 0; k--)
        {
            var completed = k % 2 == 0;
            db.Trials.Add(new Trial
            {
                Id = Guid.NewGuid(), ExperimentId = e.Id, Number = k, MaxEpochs = 5, Seed = k, Attempt = 1, Worker = $"node/cpu/{k % 2}",
                ParamsJson = completed ? $$"""{"lr":{{0.001 * (k + 1)}},"optimizer":"sgd","momentum":0.9}""" : $$"""{"lr":{{0.001 * (k + 1)}},"optimizer":"adam"}""",
                CreatedAt = now, StartedAt = now.AddSeconds(k), UpdatedAt = now, FinishedAt = now.AddSeconds(k + 1),
                EpochCount = completed ? 5 : 2, BestValue = completed ? k / 10.0 : null, BestEpoch = completed ? 5 : null,
                StopReasonJson = completed ? null : """{"rule":"asha","epoch":2,"rung":0,"message":"below the rung's cut"}""",
            }.At(completed ? TrialStatus.Completed : TrialStatus.Pruned));
        }
        await db.SaveChangesAsync();
        return (e.Id, now);
    }

    [Fact]
    public async Task GetTrialColumns_GivesEveryTrialInNumberOrder_OneColumnPerField()
    {
        var (id, now) = await SeedAsync(4);
        var c = await Client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials/columns");
        List<T> Col<T>(string name) => c.GetProperty(name).Deserialize<List<T>>()!;
        Assert.Equal(4, c.GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, c.GetProperty("next").ValueKind);
        Assert.Equal([0, 1, 2, 3], Col<int>("number"));
        Assert.Equal(["completed", "pruned", "completed", "pruned"], Col<string>("status"));
        Assert.Equal([0.0, null, 0.2, null], Col<double?>("bestValue"));
        Assert.Equal([5, 2, 5, 2], Col<int>("epochCount"));
        Assert.Equal([null, "asha", null, "asha"], Col<string?>("stopRule"));
        Assert.Equal(["node/cpu/0", "node/cpu/1", "node/cpu/0", "node/cpu/1"], Col<string?>("worker"));
        Assert.Equal(now.AddSeconds(3).ToUnixTimeMilliseconds(), Col<long?>("startedAt")[3]);
        Assert.Equal(now.AddSeconds(4).ToUnixTimeMilliseconds(), Col<long?>("finishedAt")[3]);
        var p = c.GetProperty("params");
        Assert.Equal([0.001, 0.002, 0.003, 0.004], p.GetProperty("lr").Deserialize<List<double>>()!.Select(v => Math.Round(v, 6)));
        Assert.Equal(["sgd", "adam", "sgd", "adam"], p.GetProperty("optimizer").Deserialize<List<string>>());
        // A parameter only some trials have (a conditional one) is null where a trial lacks it.
        Assert.Equal([0.9, null, 0.9, null], p.GetProperty("momentum").Deserialize<List<double?>>());
        Assert.Empty(c.GetProperty("objectives").EnumerateObject());
    }

    [Fact]
    public async Task GetTrialColumns_ReadsInChunks_NextNamesTheLastNumberUntilTheEnd()
    {
        var (id, _) = await SeedAsync(5);
        var numbers = new List<int>();
        string after = "";
        var chunks = 0;
        while (true)
        {
            var c = await Client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials/columns?limit=2{after}");
            chunks++;
            numbers.AddRange(c.GetProperty("number").Deserialize<List<int>>()!);
            Assert.Equal(c.GetProperty("count").GetInt32(), c.GetProperty("id").GetArrayLength());
            if (c.GetProperty("next").ValueKind == JsonValueKind.Null) break;
            after = $"&after={c.GetProperty("next").GetInt32()}";
        }
        Assert.Equal([0, 1, 2, 3, 4], numbers);
        Assert.Equal(3, chunks);
    }

    [Theory]
    [InlineData("after=-2", "after")]
    [InlineData("after=ten", "after")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=20001", "limit")]
    [InlineData("limit=1e19", "limit")]
    public async Task GetTrialColumns_Returns400NamingTheField_WhenAQueryValueIsBad(string query, string field)
    {
        var (id, _) = await SeedAsync(1);
        var response = await Client.GetAsync($"/api/experiments/{id}/trials/columns?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task GetTrialColumns_Returns404_ForAnUnknownExperiment()
    {
        var response = await Client.GetAsync($"/api/experiments/{Guid.NewGuid()}/trials/columns");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
