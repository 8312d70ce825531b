using Microsoft.Playwright;

namespace HpSearch.Browser.Tests;

/// <summary>A browser host of its own: its extra experiment must not change what the shared host's list shows.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ParetoBrowserCollection : ICollectionFixture<BrowserHost>
{
    public const string Name = "pareto-browser";
}

[Collection(ParetoBrowserCollection.Name)]
public sealed class ParetoPageTests(BrowserHost host)
{
    [Fact]
    public async Task ExperimentPage_DrawsTheParetoFront_AndMarksItsTrials_ForSeveralObjectives()
    {
        SeedPareto.Seeded seeded;
        await using (var db = host.NewDb()) seeded = await SeedPareto.WriteAsync(db);
        Assert.InRange(seeded.FrontNumbers.Count, 2, 15); // a front worth drawing: neither one trial nor every trial

        await using var p = await DashboardPage.OpenAsync(host, $"#/experiments/{seeded.ExperimentId}");
        await Assertions.Expect(p.Page.Locator("#header h1")).ToHaveTextAsync("browser-pareto", new() { Timeout = 20_000 });
        await Assertions.Expect(p.Page.Locator("#objectives")).ToHaveTextAsync("maximize valAccuracy · minimize parameters");
        await Assertions.Expect(p.Page.Locator("#front a")).ToHaveCountAsync(seeded.FrontNumbers.Count);
        await Assertions.Expect(p.Page.Locator("#pareto")).ToBeVisibleAsync();
        await p.WaitForCanvasAsync("#pareto-chart");
        await Assertions.Expect(p.Page.Locator("#pareto-info")).ToContainTextAsync($"{seeded.FrontNumbers.Count} trial(s) on the front");
        Assert.Equal("0", await p.Page.Locator("#pareto-x").InputValueAsync());
        Assert.Equal("1", await p.Page.Locator("#pareto-y").InputValueAsync());

        // The trials table marks exactly the front's trials.
        var marked = p.Page.Locator("#trials tbody tr.front");
        await Assertions.Expect(marked).ToHaveCountAsync(seeded.FrontNumbers.Count);
        var numbers = new List<int>();
        for (var i = 0; i < seeded.FrontNumbers.Count; i++) numbers.Add(int.Parse((await marked.Nth(i).GetAttributeAsync("data-number"))!));
        Assert.Equal(seeded.FrontNumbers, numbers.Order());

        // Swapping the axes redraws the same front.
        await p.Page.SelectOptionAsync("#pareto-x", "1");
        await p.Page.SelectOptionAsync("#pareto-y", "0");
        await Assertions.Expect(p.Page.Locator("#pareto-info")).ToContainTextAsync($"{seeded.FrontNumbers.Count} trial(s) on the front");
        await p.Page.Locator("#pareto").ScrollIntoViewIfNeededAsync();
        await p.Page.Locator("#pareto").ScreenshotAsync(new() { Path = Path.Combine(host.ScreenshotDirectory, "pareto.png") });
        Assert.Empty(p.Errors());
    }

    [Fact]
    public async Task ExperimentPage_HidesTheParetoSection_ForOneObjective()
    {
        await using var p = await DashboardPage.OpenAsync(host, $"#/experiments/{host.Data.FinishedId}");
        await Assertions.Expect(p.Page.Locator("#header h1")).ToHaveTextAsync("browser-six-step", new() { Timeout = 20_000 }); // first paint on a loaded machine
        await Assertions.Expect(p.Page.Locator("#pareto")).ToBeHiddenAsync();
        await Assertions.Expect(p.Page.Locator("#trials tbody tr.front")).ToHaveCountAsync(0);
        Assert.Empty(p.Errors());
    }
}
