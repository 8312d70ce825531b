using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Domain.Experiments;
using HpSearch.Persistence;
using HpSearch.Persistence.Model;
using HpSearch.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace HpSearch.Api.Tests.Experiments;

/// <summary>Trials pages sorted in PostgreSQL, curves of the top k / chosen trials / downsampled, importance cached per
/// finished-trial set: on the real database, through the API.</summary>
public sealed class TrialReadsTests(ApiOnlyFixture fixture) : IClassFixture<ApiOnlyFixture>
{
    private HttpClient Client => fixture.Client;

    /// <summary>Trial n: value values[n] (null = none yet), status statuses[n], n+1 seconds long, n+1 epochs.</summary>
    private async Task<(Guid Id, List<Guid> Trials)> SeedAsync(bool maximize, double?[] values, TrialStatus[]? statuses = null)
    {
        var dbFactory = fixture.Api.Services.GetRequiredService<IDbContextFactory<HpSearchDb>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        var spec = """
            { "name": "reads", "dataset": "synthetic-blobs", "searchSpace": { "lr": { "type": "logUniform", "low": 0.001, "high": 0.1 },
              "dropout": { "type": "uniform", "low": 0, "high": 0.5 } }, "objective": { "metric": "valAccuracy", "direction": "maximize" } }
            """;
        var e = new Experiment
        {
            Id = Guid.NewGuid(), Name = "reads", SpecJson = spec, Strategy = "random", Trainer = "builtin", Dataset = "synthetic-blobs",
            Pool = "cpu", ObjectiveMetric = "valAccuracy", Maximize = maximize, MaxTrials = values.Length, Parallelism = 1, MaxEpochs = 50,
            CreatedAt = now, StartedAt = now, UpdatedAt = now,
        }.At(ExperimentStatus.Running);
        db.Experiments.Add(e);
        var ids = new List<Guid>();
        var rows = new List<TrialEpoch>();
        for (var n = 0; n < values.Length; n++)
        {
            var status = statuses?[n] ?? (values[n] is null ? TrialStatus.Running : TrialStatus.Completed);
            var epochs = values[n] is null ? 0 : n + 1;
            var t = new Trial
            {
                Id = Guid.NewGuid(), ExperimentId = e.Id, Number = n, ParamsJson = $$"""{"lr":{{0.001 * (n + 1)}},"dropout":{{0.01 * ((n * 7) % 50)}}}""",
                MaxEpochs = 50, Seed = n, Attempt = 1, CreatedAt = now, StartedAt = now, UpdatedAt = now,
                FinishedAt = status.IsFinished() ? now.AddSeconds(n + 1) : null,
                EpochCount = epochs, BestValue = values[n], BestEpoch = values[n] is null ? null : epochs,
            }.At(status);
            db.Trials.Add(t);
            for (var k = 1; k <= epochs; k++)
                rows.Add(new TrialEpoch { TrialId = t.Id, Epoch = k, Attempt = 1, ValAccuracy = k == epochs ? values[n] : values[n] * k / (epochs + 1.0), TrainLoss = 1.0 / k, RecordedAt = now });
            ids.Add(t.Id);
        }
        await db.SaveChangesAsync(); // no EF relationship orders the epochs after their trials
        db.TrialEpochs.AddRange(rows);
        await db.SaveChangesAsync();
        return (e.Id, ids);
    }

    private async Task<List<int>> NumbersAsync(string url)
    {
        var page = await Client.GetFromJsonAsync<JsonElement>(url);
        return page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("number").GetInt32()).ToList();
    }

    [Fact]
    public async Task ListTrials_SortsByValueBestFirst_TiesByNumber_NoValueLast()
    {
        var (id, _) = await SeedAsync(maximize: true, [0.5, null, 0.9, 0.5, 0.7]);
        Assert.Equal([2, 4, 0, 3, 1], await NumbersAsync($"/api/experiments/{id}/trials?sort=value"));
        Assert.Equal([0, 3, 4, 2, 1], await NumbersAsync($"/api/experiments/{id}/trials?sort=value&order=desc"));
        var (minimized, _) = await SeedAsync(maximize: false, [0.5, null, 0.9, 0.5, 0.7]);
        Assert.Equal([0, 3, 4, 2, 1], await NumbersAsync($"/api/experiments/{minimized}/trials?sort=value"));
    }

    [Fact]
    public async Task ListTrials_PagesAreDisjointAndComplete_WhenValuesTie()
    {
        var (id, _) = await SeedAsync(maximize: true, Enumerable.Range(0, 25).Select(n => (double?)(n % 3)).ToArray());
        var seen = new List<int>();
        for (var p = 1; p <= 5; p++) seen.AddRange(await NumbersAsync($"/api/experiments/{id}/trials?sort=value&pageSize=5&page={p}"));
        Assert.Equal(25, seen.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 25).Where(n => n % 3 == 2).ToList(), seen.Take(8).ToList());
    }

    [Fact]
    public async Task ListTrials_SortsByDurationAndStatus_WithNumberBreakingTies()
    {
        var (id, _) = await SeedAsync(maximize: true, [0.1, 0.2, null, 0.4],
            [TrialStatus.Completed, TrialStatus.Pruned, TrialStatus.Running, TrialStatus.Completed]);
        Assert.Equal([3, 1, 0, 2], await NumbersAsync($"/api/experiments/{id}/trials?sort=duration&order=desc"));
        Assert.Equal([0, 1, 3, 2], await NumbersAsync($"/api/experiments/{id}/trials?sort=duration"));
        Assert.Equal([0, 3, 1, 2], await NumbersAsync($"/api/experiments/{id}/trials?sort=status"));
    }

    [Theory]
    [InlineData("sort=best", "sort")]
    [InlineData("order=up", "order")]
    [InlineData("pageSize=5001", "pageSize")]
    public async Task ListTrials_Returns400NamingTheField_WhenAQueryValueIsBad(string query, string field)
    {
        var (id, _) = await SeedAsync(maximize: true, [0.1]);
        var response = await Client.GetAsync($"/api/experiments/{id}/trials?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task GetCurves_Top_ReturnsTheBestKTrialsBestFirst()
    {
        var (id, trials) = await SeedAsync(maximize: true, [0.5, null, 0.9, 0.5, 0.7]);
        var curves = await Client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/curves?top=3");
        var got = curves.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal([2, 4, 0], got.Select(t => t.GetProperty("number").GetInt32()));
        Assert.Equal(3, got[0].GetProperty("epochs").GetArrayLength());
        Assert.Equal(trials[2], got[0].GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task GetCurves_Ids_ReturnsOnlyThoseTrials_AndTheUnionWithTop()
    {
        var (id, trials) = await SeedAsync(maximize: true, [0.5, null, 0.9, 0.5, 0.7]);
        var chosen = await Client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/curves?ids={trials[3]},{trials[1]}");
        Assert.Equal([1, 3], chosen.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("number").GetInt32()));
        var union = await Client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/curves?top=1&ids={trials[2]},{trials[0]}");
        Assert.Equal([2, 0], union.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("number").GetInt32()));
    }

    [Fact]
    public async Task GetCurves_MaxPoints_KeepsAtMostThatManyEpochs_FirstAndLastIncluded()
    {
        var values = Enumerable.Repeat<double?>(0.5, 30).ToArray();
        var (id, trials) = await SeedAsync(maximize: true, values);
        var curves = await Client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/curves?ids={trials[29]}&maxPoints=4");
        var epochs = curves.GetProperty("trials")[0].GetProperty("epochs").EnumerateArray().Select(e => e.GetInt32()).ToList();
        Assert.Equal([1, 11, 20, 30], epochs);
        Assert.Equal(4, curves.GetProperty("trials")[0].GetProperty("valAccuracy").GetArrayLength());
    }

    [Theory]
    [InlineData("top=0", "top")]
    [InlineData("top=1001", "top")]
    [InlineData("ids=not-a-guid", "ids")]
    [InlineData("ids=,", "ids")]
    [InlineData("maxPoints=1", "maxPoints")]
    public async Task GetCurves_Returns400NamingTheField_WhenAQueryValueIsBad(string query, string field)
    {
        var (id, _) = await SeedAsync(maximize: true, [0.1]);
        var response = await Client.GetAsync($"/api/experiments/{id}/curves?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task GetImportance_IsComputedOncePerFinishedTrialSet_NotPerRunningTrialsEpoch()
    {
        var (id, trials) = await SeedAsync(maximize: true, [0.5, 0.6, 0.9, 0.55, 0.7, null]);
        var cache = (MemoryCache)fixture.Api.Services.GetRequiredService<IMemoryCache>();
        int Entries() => cache.Keys.OfType<string>().Count(k => k.Contains(id.ToString("N"), StringComparison.Ordinal));
        var first = await Client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/importance");
        Assert.Equal(5, first.GetProperty("trials").GetInt32());
        Assert.Equal(1, Entries());

        var dbFactory = fixture.Api.Services.GetRequiredService<IDbContextFactory<HpSearchDb>>();
        await using (var db = await dbFactory.CreateDbContextAsync())
            await db.Trials.Where(t => t.Id == trials[5]).ExecuteUpdateAsync(s => s.SetProperty(t => t.EpochCount, 3).SetProperty(t => t.UpdatedAt, DateTimeOffset.UtcNow));
        await Client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/importance");
        Assert.Equal(1, Entries());

        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            db.TrialEpochs.Add(new TrialEpoch { TrialId = trials[5], Epoch = 1, Attempt = 1, ValAccuracy = 0.65, RecordedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
            var t = await db.Trials.SingleAsync(x => x.Id == trials[5]);
            t.BestValue = 0.65;
            t.BestEpoch = 1;
            t.FinishedAt = DateTimeOffset.UtcNow;
            t.MoveTo(TrialStatus.Completed);
            await db.SaveChangesAsync();
        }
        var after = await Client.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/importance");
        Assert.Equal(6, after.GetProperty("trials").GetInt32());
        Assert.Equal(2, Entries());
    }
}
