using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace HpSearch.Browser.Tests;

/// <summary>A browser host whose finished experiment has 230 trials: more than two table pages.</summary>
public sealed class LargeBrowserHost : BrowserHost
{
    protected override int FinishedTrials => 230;
}

/// <summary>The large host, never in parallel with the other hosts' tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LargeBrowserCollection : ICollectionFixture<LargeBrowserHost>
{
    public const string Name = "large-browser";
}

/// <summary>The experiment page of 230 trials: the table reads one page at a time in the database's order, the charts draw
/// every trial from the compact columns.</summary>
[Collection(LargeBrowserCollection.Name)]
public sealed class LargeExperimentPageTests(LargeBrowserHost host)
{
    private const int Trials = 230;

    /// <summary>The trial numbers of page <paramref name="page"/> as the API sorts them (100 a page, as the table shows).</summary>
    private async Task<List<int>> ApiPageAsync(Guid id, string query, int page)
    {
        using var http = host.Http();
        var json = await http.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials?{query}&page={page}&pageSize=100");
        return json.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("number").GetInt32()).ToList();
    }

    private static async Task<List<int>> ShownNumbersAsync(DashboardPage p)
    {
        await Assertions.Expect(p.Page.Locator("#trials")).ToHaveAttributeAsync("aria-busy", "false");
        return (await p.Page.Locator("#trials tbody tr").EvaluateAllAsync<int[]>("rs => rs.map(r => Number(r.dataset.number))")).ToList();
    }

    [Fact]
    public async Task TrialsTable_PagesThroughTrialsInTheDatabasesOrder_WhileChartsShowEveryTrial()
    {
        var id = host.Data.FinishedId;
        await using var p = await DashboardPage.OpenAsync(host, $"#/experiments/{id}");
        // The first page of a fresh host waits for the JIT: a longer wait than the default 5 s.
        try { await Assertions.Expect(p.Page.Locator("#header h1")).ToBeVisibleAsync(new() { Timeout = 30_000 }); }
        catch (PlaywrightException e)
        {
            var res = await p.Page.EvaluateAsync<string[]>("() => performance.getEntriesByType('resource').map(r => r.name + ' ' + r.responseStatus + ' ' + Math.round(r.duration))");
            var body = await p.Page.Locator("main").InnerTextAsync();
            throw new InvalidOperationException("the page did not load: " + string.Join(" | ", p.Errors()) + "\n" + string.Join("\n", res) + "\n" + body[..Math.Min(800, body.Length)], e);
        }
        Assert.Empty(p.Errors());
        var table = p.Page.Locator("#trials");
        await Assertions.Expect(table).ToHaveAttributeAsync("data-source", "database");
        await Assertions.Expect(p.Page.Locator("#trials-section .pager")).ToContainTextAsync("page 1 of 3");
        await Assertions.Expect(p.Page.Locator("#trials-section")).ToContainTextAsync($"{Trials} of {Trials} trials");
        Assert.Equal(await ApiPageAsync(id, "sort=number", 1), await ShownNumbersAsync(p));

        var next = p.Page.Locator("#trials-section .pager button").Last;
        await next.ClickAsync();
        await Assertions.Expect(p.Page.Locator("#trials-section .pager")).ToContainTextAsync("page 2 of 3");
        Assert.Equal(await ApiPageAsync(id, "sort=number", 2), await ShownNumbersAsync(p));
        await next.ClickAsync();
        var last = await ShownNumbersAsync(p);
        Assert.Equal(await ApiPageAsync(id, "sort=number", 3), last);
        Assert.Equal(Trials - 200, last.Count);

        // Sorted by value (maximize: the first click is best first) on page 3, then back to page 1 — the database's order.
        await p.Page.Locator("#trials th[data-key=value] button").ClickAsync();
        Assert.Equal(await ApiPageAsync(id, "sort=value", 3), await ShownNumbersAsync(p));
        await p.Page.Locator("#trials-section .pager button").First.ClickAsync();
        await p.Page.Locator("#trials-section .pager button").First.ClickAsync();
        await Assertions.Expect(p.Page.Locator("#trials-section .pager")).ToContainTextAsync("page 1 of 3");
        Assert.Equal(await ApiPageAsync(id, "sort=value", 1), await ShownNumbersAsync(p));

        // The history chart draws a dot for every trial with a value, not only the table's page.
        using var http = host.Http();
        var all = await http.GetFromJsonAsync<JsonElement>($"/api/experiments/{id}/trials?pageSize={Trials}");
        var withValue = all.GetProperty("items").EnumerateArray().Count(t => t.GetProperty("bestValue").ValueKind == JsonValueKind.Number
            && (t.GetProperty("status").GetString() is not ("queued" or "running") || t.GetProperty("epochCount").GetInt32() > 0));
        Assert.True(withValue > 100, $"only {withValue} trials have a value: the check would not tell all trials from one page");
        await Assertions.Expect(p.Page.Locator("#history-chart")).ToHaveAttributeAsync("data-points", withValue.ToString());

        // A parameter column sorts in the browser over every trial's columns, paged the same way.
        await p.Page.Locator("#trials th[data-key=lr] button").ClickAsync();
        await Assertions.Expect(table).ToHaveAttributeAsync("data-source", "browser");
        var lrs = await p.Page.Locator("#trials tbody tr").CountAsync();
        Assert.Equal(100, lrs);
        Assert.Empty(p.Errors());
    }
}
