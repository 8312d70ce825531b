using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HpSearch.Api.Tests.Infrastructure;
using HpSearch.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HpSearch.Api.Tests.Experiments;

/// <summary>GET /api/experiments searched and sorted in PostgreSQL: name, tag, status, dataset, trainer, best value and date.</summary>
public sealed class ExperimentListQueryTests(ApiOnlyFixture fixture) : IClassFixture<ApiOnlyFixture>
{
    private async Task<string> SubmitAsync(string name, string[] tags, string dataset = "synthetic-blobs")
    {
        var spec = JsonSerializer.Serialize(new
        {
            name,
            dataset,
            tags,
            @params = new { model = "mlp", hidden = new[] { 8 }, epochs = 1 },
            searchSpace = new { lr = new { type = "logUniform", low = 1e-3, high = 1e-1 } },
            budget = new { maxTrials = 1 },
        });
        return await Polling.SubmitAsync(fixture.Client, spec);
    }

    private async Task<List<string>> NamesAsync(string query)
    {
        var page = await fixture.Client.GetFromJsonAsync<JsonElement>($"/api/experiments?{query}");
        return page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();
    }

    [Fact]
    public async Task ListExperiments_FiltersByNameTagAndDataset_InTheDatabase()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        await SubmitAsync($"{run}-Alpha", ["vision", "baseline"]);
        await SubmitAsync($"{run}-beta", ["vision"]);
        await SubmitAsync($"{run}-gamma_1", ["nlp"], dataset: "synthetic-images");

        Assert.Equal([$"{run}-gamma_1", $"{run}-beta", $"{run}-Alpha"], await NamesAsync($"q={run}"));
        Assert.Equal([$"{run}-Alpha"], await NamesAsync($"q={run}-ALPHA"));
        // LIKE's wildcards are literal characters in a search: '_' matches only '_'.
        Assert.Equal([$"{run}-gamma_1"], await NamesAsync($"q={run}-gamma_"));
        Assert.Empty(await NamesAsync($"q={run}-b_ta"));
        Assert.Equal([$"{run}-beta", $"{run}-Alpha"], await NamesAsync($"q={run}&tag=vision"));
        Assert.Equal([$"{run}-Alpha"], await NamesAsync($"q={run}&tag=vision&tag=baseline"));
        Assert.Equal([$"{run}-gamma_1"], await NamesAsync($"q={run}&dataset=synthetic-images"));
        var trainer = (await fixture.Client.GetFromJsonAsync<JsonElement>($"/api/experiments?q={run}")).GetProperty("items")[0].GetProperty("trainer").GetString();
        Assert.Equal(3, (await NamesAsync($"q={run}&trainer={trainer}")).Count);
        Assert.Empty(await NamesAsync($"q={run}&trainer=no-such-trainer"));

        // This API has no worker pool: a cancel ends the experiment with its trial never run.
        var beta = (await fixture.Client.GetFromJsonAsync<JsonElement>($"/api/experiments?q={run}-beta")).GetProperty("items")[0].GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.Client.PostAsync($"/api/experiments/{beta}/cancel", null)).StatusCode);
        await Polling.UntilFinishedAsync(fixture.Client, beta!, TimeSpan.FromMinutes(1));
        Assert.Equal([$"{run}-beta"], await NamesAsync($"q={run}&status=cancelled"));
        Assert.Empty(await NamesAsync($"q={run}&status=completed"));
    }

    [Fact]
    public async Task ListExperiments_SortsByNameAndBestValue_WithoutAValueLast_AndPagesDoNotOverlap()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var ids = new Dictionary<string, string>();
        foreach (var n in new[] { "c", "a", "d", "b" }) ids[n] = await SubmitAsync($"{run}-{n}", []);
        using (var scope = fixture.Api.Services.CreateScope())
        {
            // Best values as a controller would have stored them; "d" has none yet.
            var db = scope.ServiceProvider.GetRequiredService<HpSearchDb>();
            foreach (var (n, v) in new[] { ("a", 0.5), ("b", 0.9), ("c", 0.7) })
                await db.Experiments.Where(e => e.Id == Guid.Parse(ids[n])).ExecuteUpdateAsync(s => s.SetProperty(e => e.BestValue, v));
        }

        Assert.Equal(["a", "b", "c", "d"], (await NamesAsync($"q={run}&sort=name")).Select(n => n[^1..]));
        Assert.Equal(["d", "c", "b", "a"], (await NamesAsync($"q={run}&sort=name&order=desc")).Select(n => n[^1..]));
        Assert.Equal(["b", "c", "a", "d"], (await NamesAsync($"q={run}&sort=bestValue")).Select(n => n[^1..]));
        Assert.Equal(["a", "c", "b", "d"], (await NamesAsync($"q={run}&sort=bestValue&order=asc")).Select(n => n[^1..]));
        Assert.Equal(["c", "a", "d", "b"], (await NamesAsync($"q={run}&sort=createdAt&order=asc")).Select(n => n[^1..]));

        var pages = new List<string>();
        for (var p = 1; p <= 2; p++) pages.AddRange(await NamesAsync($"q={run}&sort=bestValue&pageSize=2&page={p}"));
        Assert.Equal(["b", "c", "a", "d"], pages.Select(n => n[^1..]));
        var total = (await fixture.Client.GetFromJsonAsync<JsonElement>($"/api/experiments?q={run}&pageSize=1")).GetProperty("total").GetInt32();
        Assert.Equal(4, total);
    }

    [Theory]
    [InlineData("sort=loss", "sort", "loss")]
    [InlineData("sort=name&order=up", "order", null)]
    [InlineData("tag=has%20space", "tag", null)]
    [InlineData("status=done", "status", null)]
    [InlineData("pageSize=0", "pageSize", null)]
    public async Task ListExperiments_Returns400NamingTheParameter_ForABadValue(string query, string field, string? named)
    {
        var response = await fixture.Client.GetAsync($"/api/experiments?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var message = problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
        if (named is not null) Assert.Contains($"'{named}'", message);
    }

    [Fact]
    public void Apply_FiltersTagsByArrayContainment_WhichTheGinIndexServes()
    {
        var errors = new Dictionary<string, string[]>();
        var query = Api.Experiments.ExperimentListQuery.Read(null, "lr", ["vision", "baseline"], null, null, "bestValue", null, errors)!;
        Assert.Empty(errors);
        using var scope = fixture.Api.Services.CreateScope();
        var sql = query.Order(query.Apply(scope.ServiceProvider.GetRequiredService<HpSearchDb>().Experiments)).ToQueryString();
        Assert.True(sql.Contains("@wanted <@ e.tags"), sql); // the commutator of tags @> wanted: the GIN operator class has both
        Assert.Contains("ILIKE", sql);
    }
}
