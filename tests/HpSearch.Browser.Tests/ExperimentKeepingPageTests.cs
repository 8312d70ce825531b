using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HpSearch.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace HpSearch.Browser.Tests;

/// <summary>The list's search, tag filter and sortable columns, and an experiment's tags, note and resume on its page.
/// The experiments are ask/tell ones (trainer external), so nothing trains them; they are removed again at the end, so the
/// other pages' tests see the seeded rows only.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ExperimentKeepingPageTests(BrowserHost host) : IAsyncLifetime
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly List<string> _created = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await using var db = host.NewDb();
        var ids = _created.Select(Guid.Parse).ToList();
        await db.Trials.Where(t => ids.Contains(t.ExperimentId)).ExecuteDeleteAsync();
        await db.Experiments.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync();
    }

    private async Task<string> SubmitAsync(HttpClient http, string name, params string[] tags)
    {
        var spec = JsonSerializer.Serialize(new
        {
            name = $"{_run}-{name}", trainer = "external", tags,
            searchSpace = new { lr = new { type = "logUniform", low = 1e-4, high = 1e-1 } },
            strategy = new { kind = "random", seed = 3 },
            budget = new { maxTrials = 3, parallelism = 1 },
        });
        var created = await http.PostAsync("/api/experiments", new StringContent(spec, Encoding.UTF8, "application/json"));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        _created.Add(id);
        return id;
    }

    private HttpClient Writer()
    {
        var http = host.Http();
        http.DefaultRequestHeaders.Add("X-Api-Key", BrowserHost.ApiKey);
        return http;
    }

    [Fact]
    public async Task ExperimentsPage_SearchesByName_FiltersByTag_AndSortsByAColumn()
    {
        using var http = Writer();
        await SubmitAsync(http, "beta", "vision");
        await SubmitAsync(http, "alpha", "vision", "baseline");
        await SubmitAsync(http, "gamma", "nlp");

        await using var p = await DashboardPage.OpenAsync(host, "#/experiments");
        await p.Page.FillAsync("#search", _run);
        await p.Page.ClickAsync("#search-form button[type=submit]");
        var rows = p.Page.Locator("#experiments tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync($"{_run}-gamma"); // newest first

        await p.Page.ClickAsync("#experiments th button[data-sort=name]");
        await Assertions.Expect(p.Page.Locator("#experiments th[aria-sort=ascending]")).ToContainTextAsync("name");
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync($"{_run}-alpha");
        await Assertions.Expect(rows.Nth(2)).ToContainTextAsync($"{_run}-gamma");
        await p.Page.ClickAsync("#experiments th button[data-sort=name]");
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync($"{_run}-gamma");

        await p.Page.FillAsync("#tag-filter", "vision");
        await p.Page.ClickAsync("#search-form button[type=submit]");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        // A tag chip adds its tag to the filter.
        await rows.Locator("button.tag", new() { HasText = "baseline" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync($"{_run}-alpha");
        Assert.Contains("tag=vision", p.Page.Url);
        Assert.Contains("tag=baseline", p.Page.Url);
        await p.ScreenshotAsync("experiments-search-tags");
        Assert.Empty(p.Errors());
    }

    [Fact]
    public async Task ExperimentPage_EditsTagsAndNote_ShowsTheFieldError_AndResumesACancelledExperiment()
    {
        using var http = Writer();
        var id = await SubmitAsync(http, "to-resume", "first");
        Assert.True((await http.PostAsync($"/api/experiments/{id}/cancel", null)).IsSuccessStatusCode);
        for (var i = 0; i < 80 && (await http.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}")).GetProperty("status").GetString() != "cancelled"; i++)
            await Task.Delay(250);

        await using var p = await DashboardPage.OpenAsync(host, $"#/experiments/{id}");
        await Assertions.Expect(p.Page.Locator("#header .badge").First).ToHaveTextAsync("cancelled");
        await Assertions.Expect(p.Page.Locator("#tags")).ToContainTextAsync("first");
        await Assertions.Expect(p.Page.Locator("#extend-box")).ToBeVisibleAsync();

        await p.Page.ClickAsync("#edit-labels");
        await p.Page.FillAsync("#tags-input", "vision bad!tag");
        await p.Page.FillAsync("#note-input", "kept for the paper\nsecond line");
        await p.Page.ClickAsync("#save-labels");
        await p.Page.FillAsync("#api-key", BrowserHost.ApiKey);
        await p.Page.ClickAsync("#api-key-ok");
        await Assertions.Expect(p.Page.Locator("#tags-error")).ToContainTextAsync("tags[1]");

        await p.Page.FillAsync("#tags-input", "vision, paper");
        await p.Page.ClickAsync("#save-labels");
        await Assertions.Expect(p.Page.Locator("#tags .tag")).ToHaveTextAsync(["vision", "paper"]);
        await Assertions.Expect(p.Page.Locator("#note")).ToHaveTextAsync("kept for the paper\nsecond line");
        var stored = await http.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}");
        Assert.Equal(["vision", "paper"], stored.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        await p.ScreenshotAsync("experiment-labels");

        await p.Page.ClickAsync("#resume");
        await Assertions.Expect(p.Page.Locator("#header .badge").First).ToHaveTextAsync("running", new() { Timeout = 20_000 });
        await Assertions.Expect(p.Page.Locator("#resume")).ToHaveCountAsync(0);
        await Assertions.Expect(p.Page.Locator("#cancel")).ToBeVisibleAsync();
        Assert.Equal("running", (await http.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}")).GetProperty("status").GetString());
        Assert.Empty(p.Errors("400"));
    }
}
