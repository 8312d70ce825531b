using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace HpSearch.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class DashboardTests(BrowserHost host)
{
    private static Task Expect(ILocator locator) => Assertions.Expect(locator).ToBeVisibleAsync();

    [Fact]
    public async Task ExperimentsPage_ListsBothExperiments_NewestFirst_AndFiltersByStatus()
    {
        await using var p = await DashboardPage.OpenAsync(host, "#/");
        var rows = p.Page.Locator("#experiments tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("browser-running");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("browser-six-step");
        await Expect(rows.Nth(0).Locator(".progress"));

        await p.Page.SelectOptionAsync("#status-filter", "completed");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("browser-six-step");
        await p.ScreenshotAsync("experiments");
        Assert.Empty(p.Errors());
    }

    [Fact]
    public async Task ExperimentPage_DrawsEveryChart_ForAFinishedExperiment()
    {
        await using var p = await DashboardPage.OpenAsync(host, $"#/experiments/{host.Data.FinishedId}");
        await Assertions.Expect(p.Page.Locator("#header h1")).ToHaveTextAsync("browser-six-step");
        await Assertions.Expect(p.Page.Locator("#best-trial")).ToContainTextAsync("test accuracy");
        foreach (var chart in new[] { "#history-chart", "#curves-chart", "#edf-chart", "#timeline-chart", "#parallel-chart", "#contour-chart", "#slices" })
            await p.WaitForCanvasAsync(chart);
        // A recipe run's curves default to the stages that compete for the result; every stage can be chosen.
        await Expect(p.Page.Locator("#curve-stage"));
        Assert.Equal("competing", await p.Page.Locator("#curve-stage").InputValueAsync());
        await Assertions.Expect(p.Page.Locator("#curve-stage option")).ToHaveCountAsync(2 + 5);
        await Assertions.Expect(p.Page.Locator("#contour-info")).ToContainTextAsync("mean valAccuracy");
        await p.Page.Locator("#timeline-chart").ScreenshotAsync(new() { Path = Path.Combine(host.ScreenshotDirectory, "timeline.png") });
        Assert.Equal("lr", await p.Page.Locator("#contour-x").InputValueAsync());
        Assert.Equal("optimizer", await p.Page.Locator("#contour-y").InputValueAsync()); // the stored spec is jsonb: shorter keys first
        await Assertions.Expect(p.Page.Locator("#slices .chart")).ToHaveCountAsync(3);
        await Assertions.Expect(p.Page.Locator("#stages li")).ToHaveCountAsync(6);
        await Assertions.Expect(p.Page.Locator("#glance")).ToContainTextAsync("asha");
        await Assertions.Expect(p.Page.Locator("#glance")).ToContainTextAsync("found in stage");

        // Hovering a learning curve names its trial.
        await p.Page.Locator("#curves-chart").ScrollIntoViewIfNeededAsync();
        var box = (await p.Page.Locator("#curves-chart").BoundingBoxAsync())!;
        var named = false;
        for (var fx = 0.15; fx < 0.95 && !named; fx += 0.05)
            for (var fy = 0.15; fy < 0.9 && !named; fy += 0.04)
            {
                await p.Page.Mouse.MoveAsync(box.X + box.Width * (float)fx, box.Y + box.Height * (float)fy);
                await Task.Delay(20);
                named = (await p.Page.Locator("#curves-info").TextContentAsync())!.StartsWith("trial #");
            }
        Assert.True(named, "hovering the learning curves never named a trial");

        await p.Page.Locator("#header details summary").ClickAsync();
        await Assertions.Expect(p.Page.Locator("#spec")).ToContainTextAsync("\"searchSpace\"");
        await p.Page.Locator("#header").ScrollIntoViewIfNeededAsync();
        await p.ScreenshotAsync("experiment-finished");
        Assert.Empty(p.Errors());
    }

    [Fact]
    public async Task ComparePage_ShowsTheTickedExperiments_SideBySide_WithTheirSpecDifferences()
    {
        await using var p = await DashboardPage.OpenAsync(host, "#/");
        var compare = p.Page.Locator("#compare-selected");
        await Assertions.Expect(compare).ToHaveAttributeAsync("aria-disabled", "true");
        var picks = p.Page.Locator("#experiments .compare-pick");
        await Assertions.Expect(picks).ToHaveCountAsync(2);
        await picks.Nth(0).CheckAsync();
        await picks.Nth(1).CheckAsync();
        await Assertions.Expect(compare).ToHaveAttributeAsync("aria-disabled", "false");
        await compare.ClickAsync();

        await Assertions.Expect(p.Page.Locator("#compare-table tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(p.Page.Locator("#compare-table")).ToContainTextAsync("browser-six-step");
        await Assertions.Expect(p.Page.Locator("#compare-table")).ToContainTextAsync("browser-running");
        await p.WaitForCanvasAsync("#compare-history");
        await p.WaitForCanvasAsync("#compare-edf");
        // The two specs differ at least in their names and strategies; each difference is a row naming its field.
        await Assertions.Expect(p.Page.Locator("#compare-diff code", new() { HasTextString = "strategy.kind" })).ToHaveCountAsync(1);
        await Assertions.Expect(p.Page.Locator("#compare-diff code", new() { HasTextString = "name" }).First).ToBeVisibleAsync();
        await p.ScreenshotAsync("compare");
        Assert.Empty(p.Errors());
    }

    [Fact]
    public async Task TrialsTable_SortsByValue_AndFiltersByStatusAndParameter()
    {
        await using var p = await DashboardPage.OpenAsync(host, $"#/experiments/{host.Data.FinishedId}");
        var rows = p.Page.Locator("#trials tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(24);

        await p.Page.Locator("#trials th[data-key=value] button").ClickAsync(); // first click: best first
        await Assertions.Expect(p.Page.Locator("#trials th[data-key=value]")).ToHaveAttributeAsync("aria-sort", "descending");
        await Assertions.Expect(p.Page.Locator("#trials")).ToHaveAttributeAsync("aria-busy", "false"); // the page sorted in the database
        var values = await ColumnValuesAsync(p, "value");
        Assert.Equal(values.OrderByDescending(v => v).ToList(), values);
        await Assertions.Expect(rows.Nth(0)).ToHaveClassAsync("best");

        await p.Page.Locator("#trials th[data-key=value] button").ClickAsync();
        await Assertions.Expect(p.Page.Locator("#trials th[data-key=value]")).ToHaveAttributeAsync("aria-sort", "ascending");
        await Assertions.Expect(p.Page.Locator("#trials")).ToHaveAttributeAsync("aria-busy", "false");
        values = await ColumnValuesAsync(p, "value");
        Assert.Equal(values.OrderBy(v => v).ToList(), values);

        await p.Page.SelectOptionAsync("#trial-status", "pruned");
        await Assertions.Expect(p.Page.Locator("#trials")).ToHaveAttributeAsync("aria-busy", "false"); // the database's page of pruned trials
        await Assertions.Expect(rows.First).ToHaveAttributeAsync("data-status", "pruned");
        Assert.All(await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.status)"), s => Assert.Equal("pruned", s));
        await Assertions.Expect(rows.First).ToContainTextAsync("asha");

        await p.Page.SelectOptionAsync("#trial-status", "");
        await p.Page.FillAsync("#trial-filter", "optimizer=adam");
        await Task.Delay(400);
        var optimizers = await ColumnTextsAsync(p, "optimizer");
        Assert.NotEmpty(optimizers);
        Assert.All(optimizers, o => Assert.Equal("adam", o));
        await p.Page.Locator("#trials-section").ScrollIntoViewIfNeededAsync();
        await p.ScreenshotAsync("trials-table-filtered");
        Assert.Empty(p.Errors());
    }

    private static async Task<IReadOnlyList<string>> ColumnTextsAsync(DashboardPage p, string key)
    {
        var index = await p.Page.Locator("#trials thead th").EvaluateAllAsync<int>($"ths => ths.findIndex(t => t.dataset.key === '{key}')");
        Assert.True(index >= 0, $"no column {key}");
        return await p.Page.Locator($"#trials tbody tr td:nth-child({index + 1})").AllTextContentsAsync();
    }

    private static async Task<List<double>> ColumnValuesAsync(DashboardPage p, string key)
    {
        var texts = await ColumnTextsAsync(p, key);
        return texts.Where(t => t != "–").Select(t => double.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }

    [Fact]
    public async Task ArtifactsSection_ListsTheKeptFiles_AndTheirLinksDownloadWithTheReadSession()
    {
        await using var p = await DashboardPage.OpenAsync(host, $"#/experiments/{host.Data.FinishedId}");
        var rows = p.Page.Locator("#artifacts-table tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("logs/train.log");
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("2.0 KiB");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("model.txt");
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("(30 days)");
        var href = await rows.Nth(1).Locator("a.artifact-link").GetAttributeAsync("href");
        // The page's own session (a read cookie, no key in the page) is what authorises the download.
        var body = await p.Page.EvaluateAsync<string>("async (u) => { const r = await fetch(u); return r.status + ' ' + await r.text(); }", href);
        Assert.Equal("200 weights of the best trial", body);

        await p.GotoAsync($"#/trials/{host.Data.BestTrialId}");
        await Assertions.Expect(p.Page.Locator("#artifacts-table tbody tr")).ToHaveCountAsync(2);
        await p.GotoAsync($"#/trials/{host.Data.PrunedTrialId}");
        await Assertions.Expect(p.Page.Locator("#artifacts-box")).ToContainTextAsync("No artifacts are kept");
        Assert.Empty(p.Errors());
    }

    [Fact]
    public async Task TrialPage_ShowsParametersMetricsStopReasonAndActivations()
    {
        await using var p = await DashboardPage.OpenAsync(host, $"#/trials/{host.Data.PrunedTrialId}");
        await Assertions.Expect(p.Page.Locator("#stop-reason")).ToContainTextAsync("asha");
        await Assertions.Expect(p.Page.Locator("#stop-reason")).ToContainTextAsync("rung");
        await Assertions.Expect(p.Page.Locator("#stop-reason")).ToContainTextAsync("threshold");
        await Assertions.Expect(p.Page.Locator("#params")).ToContainTextAsync("optimizer");
        await p.WaitForCanvasAsync("#trial-chart");
        await p.ScreenshotAsync("trial-pruned");

        await p.GotoAsync($"#/trials/{host.Data.BestTrialId}");
        await Assertions.Expect(p.Page.Locator("#epochs tbody tr")).ToHaveCountAsync(8);
        await Assertions.Expect(p.Page.Locator("#trial-header")).ToContainTextAsync("test");
        await p.WaitForCanvasAsync("#trial-chart");
        await p.ScreenshotAsync("trial-best");
        Assert.Empty(p.Errors());
    }

    [Fact]
    public async Task TrialPage_ShowsTheAttempt_AndTheWorkerDeathsBeforeIt()
    {
        await using var p = await DashboardPage.OpenAsync(host, $"#/trials/{host.Data.RunningTrialId}");
        await Assertions.Expect(p.Page.Locator("#attempt")).ToHaveTextAsync("2 · its worker died once on earlier attempts");
        await p.GotoAsync($"#/trials/{host.Data.BestTrialId}");
        await Assertions.Expect(p.Page.Locator("#attempt")).ToHaveTextAsync("1");
        Assert.Empty(p.Errors());
    }

    [Fact]
    public async Task WorkersPage_ShowsNodesSlotsAndWhatTheyRun()
    {
        await using var p = await DashboardPage.OpenAsync(host, "#/workers");
        await Assertions.Expect(p.Page.Locator("#workers-table")).ToContainTextAsync("browser-node");
        await Assertions.Expect(p.Page.Locator("#workers-table")).ToContainTextAsync("trial #3");
        await p.ScreenshotAsync("workers");
        Assert.Empty(p.Errors());
    }

    [Fact]
    public async Task SubmitForm_ShowsTheApiFieldErrorNextToTheField()
    {
        await using var p = await DashboardPage.OpenAsync(host, "#/submit");
        var spec = Seed.Spec.Replace("\"low\": 1e-5", "\"low\": -1");
        await p.Page.FillAsync("#spec-editor", spec);
        await p.Page.ClickAsync("#submit");
        await p.Page.FillAsync("#api-key", BrowserHost.ApiKey);
        await p.Page.ClickAsync("#api-key-ok");
        var error = p.Page.Locator("#field-errors li", new() { HasText = "lr" });
        await Expect(error.First);
        var line = spec.Split('\n').ToList().FindIndex(l => l.Contains("\"low\": -1")) + 1;
        await Assertions.Expect(error.First).ToContainTextAsync($"line {line}");
        await Expect(p.Page.Locator($".notes .note[data-line='{line}']"));
        await p.ScreenshotAsync("submit-field-error");
        Assert.Empty(p.Errors("400"));
    }

    [Fact]
    public async Task Cancel_AsksForTheKeyOnce_AndCancelsTheExperiment()
    {
        using var http = host.Http();
        http.DefaultRequestHeaders.Add("X-Api-Key", BrowserHost.ApiKey);
        var spec = Seed.Spec.Replace("\"six-step\"", "\"random\"").Replace("browser-six-step", "browser-to-cancel");
        var created = await http.PostAsync("/api/experiments", new StringContent(spec, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        await using var p = await DashboardPage.OpenAsync(host, $"#/experiments/{id}");
        await p.Page.ClickAsync("#cancel");
        await p.Page.FillAsync("#api-key", BrowserHost.ApiKey);
        await p.Page.ClickAsync("#api-key-ok");
        await Assertions.Expect(p.Page.Locator("#header .badge").First).ToHaveTextAsync("cancelled", new() { Timeout = 20_000 });
        await Assertions.Expect(p.Page.Locator("#cancel")).ToHaveCountAsync(0);
        Assert.Equal(BrowserHost.ApiKey, await p.Page.EvaluateAsync<string>("sessionStorage.getItem('hpsearch.apiKey')"));
        await p.ScreenshotAsync("experiment-cancelled");
        Assert.Empty(p.Errors());
    }

    [Fact]
    public async Task RunningExperiment_ShowsANewEpochLive_WithoutReload()
    {
        await using var p = await DashboardPage.OpenAsync(host, $"#/experiments/{host.Data.RunningId}");
        var row = p.Page.Locator("#trials tbody tr[data-number='3']");
        await Assertions.Expect(row).ToContainTextAsync($"{host.Data.RunningTrialEpochs}/8");
        await p.Page.EvaluateAsync("window.__sameDocument = true");

        await using (var db = host.NewDb())
            await Seed.AppendEpochAsync(db, host.Data.RunningTrialId, host.Data.RunningTrialEpochs + 1, 0.97);
        await Assertions.Expect(row).ToContainTextAsync($"{host.Data.RunningTrialEpochs + 1}/8", new() { Timeout = 4_000 });
        await Assertions.Expect(row).ToContainTextAsync("0.97");
        Assert.True(await p.Page.EvaluateAsync<bool>("window.__sameDocument === true"), "the page reloaded");
        await p.WaitForCanvasAsync("#curves-chart");
        await p.ScreenshotAsync("experiment-running-live");

        // Narrow screen, dark mode: the same page stays usable.
        await using var narrow = await DashboardPage.OpenAsync(host, $"#/experiments/{host.Data.RunningId}", 390, 844, ColorScheme.Dark);
        await narrow.WaitForCanvasAsync("#history-chart");
        await narrow.ScreenshotAsync("experiment-running-narrow-dark");
        Assert.Empty(p.Errors());
        Assert.Empty(narrow.Errors());
    }
}
