using System.Globalization;
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

    [Fact]
    public async Task ExperimentsList_ShowsTheFrontAndEachObjectivesBestOnIt_ForTwoObjectives_AndTheBestValueForOne()
    {
        SeedPareto.Seeded a, b;
        await using (var db = host.NewDb()) a = await SeedPareto.WriteAsync(db, "browser-front-a", seed: 31);
        await using (var db = host.NewDb()) b = await SeedPareto.WriteAsync(db, "browser-front-b", seed: 37);
        Assert.NotEqual(a.BestValue, b.BestValue); // so sorting by best value has an order to show

        await using var p = await DashboardPage.OpenAsync(host, "#/experiments?q=browser-&page=1");
        foreach (var seeded in new[] { a, b })
        {
            var row = p.Page.Locator($"#experiments tbody tr[data-id='{seeded.ExperimentId}']");
            await Assertions.Expect(row.Locator(".front-size")).ToHaveTextAsync($"front: {seeded.Front.Count} trials", new() { Timeout = 20_000 });
            var bests = row.Locator(".front-best");
            await Assertions.Expect(bests).ToHaveCountAsync(2);
            await Assertions.Expect(bests.Nth(0)).ToContainTextAsync("max valAccuracy");
            await Assertions.Expect(bests.Nth(1)).ToContainTextAsync("min parameters");
            // Each objective's best over the stored front, whatever the direction.
            Assert.Equal(seeded.Front.Max(m => m.Values[0]), double.Parse((await bests.Nth(0).GetAttributeAsync("data-best"))!, CultureInfo.InvariantCulture));
            Assert.Equal(seeded.Front.Min(m => m.Values[1]), double.Parse((await bests.Nth(1).GetAttributeAsync("data-best"))!, CultureInfo.InvariantCulture));
            // The first objective's best on the front is the stored best value the list sorts on.
            Assert.Equal(seeded.BestValue, seeded.Front.Max(m => m.Values[0]));
        }

        // A single-objective experiment keeps its best value and objective, with no front.
        var single = p.Page.Locator($"#experiments tbody tr[data-id='{host.Data.FinishedId}']");
        await Assertions.Expect(single).ToContainTextAsync("max valAccuracy");
        await Assertions.Expect(single.Locator(".front-cell")).ToHaveCountAsync(0);
        await Assertions.Expect(single).Not.ToContainTextAsync("front:");

        // Sorting by best value orders the two-objective experiments by their first objective's best on the front.
        await p.Page.ClickAsync("#experiments th button[data-sort=bestValue]");
        await Assertions.Expect(p.Page.Locator("#experiments th[aria-sort=descending]")).ToContainTextAsync("best");
        await Assertions.Expect(p.Page.Locator("#experiments th[aria-sort=descending]")).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("first objective"));
        var ids = new List<string>();
        var rows = p.Page.Locator("#experiments tbody tr");
        await Assertions.Expect(rows.Locator(".front-cell")).Not.ToHaveCountAsync(0);
        for (var i = 0; i < await rows.CountAsync(); i++) ids.Add((await rows.Nth(i).GetAttributeAsync("data-id"))!);
        var (higher, lower) = a.BestValue > b.BestValue ? (a, b) : (b, a);
        Assert.True(ids.IndexOf(higher.ExperimentId.ToString()) < ids.IndexOf(lower.ExperimentId.ToString()), string.Join(",", ids));
        await p.ScreenshotAsync("experiments-front");
        Assert.Empty(p.Errors());
    }

    [Fact]
    public async Task ComparePage_ShowsEachFront_OverlaysThem_AndDrawsEachObjective_ForTwoObjectiveExperiments()
    {
        SeedPareto.Seeded a, b;
        await using (var db = host.NewDb()) a = await SeedPareto.WriteAsync(db, "browser-compare-a", seed: 41);
        await using (var db = host.NewDb()) b = await SeedPareto.WriteAsync(db, "browser-compare-b", seed: 43);

        await using var p = await DashboardPage.OpenAsync(host, $"#/compare?ids={a.ExperimentId},{b.ExperimentId},{host.Data.FinishedId}");
        await Assertions.Expect(p.Page.Locator("#compare-table tbody tr")).ToHaveCountAsync(3, new() { Timeout = 20_000 });
        foreach (var seeded in new[] { a, b })
        {
            var row = p.Page.Locator($"#compare-table tr[data-id='{seeded.ExperimentId}']");
            await Assertions.Expect(row).ToContainTextAsync("maximize valAccuracy · minimize parameters");
            await Assertions.Expect(row.Locator(".front-size")).ToHaveTextAsync($"front: {seeded.Front.Count} trials");
            // The front as a table: one row per member, best first on valAccuracy, one column per objective.
            var list = p.Page.Locator($"#compare-fronts .front-list[data-id='{seeded.ExperimentId}']");
            await Assertions.Expect(list.Locator("thead th")).ToHaveCountAsync(3);
            var members = list.Locator("tbody tr");
            await Assertions.Expect(members).ToHaveCountAsync(seeded.Front.Count);
            var expected = seeded.Front.OrderByDescending(m => m.Values[0]).ThenBy(m => m.Number).Select(m => m.Number.ToString(CultureInfo.InvariantCulture));
            var shown = new List<string>();
            for (var i = 0; i < seeded.Front.Count; i++) shown.Add((await members.Nth(i).GetAttributeAsync("data-number"))!);
            Assert.Equal(expected, shown);
        }
        // The single-objective experiment keeps its one best value and has no front.
        await Assertions.Expect(p.Page.Locator($"#compare-table tr[data-id='{host.Data.FinishedId}'] .front-size")).ToHaveCountAsync(0);
        await Assertions.Expect(p.Page.Locator($"#compare-fronts .front-list[data-id='{host.Data.FinishedId}']")).ToHaveCountAsync(0);

        // Both share valAccuracy × parameters: their fronts overlaid.
        await Assertions.Expect(p.Page.Locator("#compare-pareto-info")).ToContainTextAsync("browser-compare-a, browser-compare-b on valAccuracy (maximize) × parameters (minimize)");
        await p.WaitForCanvasAsync("#compare-pareto-chart");

        // History and distribution per objective: valAccuracy for all three, parameters for the two that have it.
        await Assertions.Expect(p.Page.Locator("#compare-objective option")).ToHaveCountAsync(2);
        await p.WaitForCanvasAsync("#compare-history");
        await p.WaitForCanvasAsync("#compare-edf");
        await Assertions.Expect(p.Page.Locator("#compare-missing")).ToHaveTextAsync("");
        await p.Page.SelectOptionAsync("#compare-objective", "1");
        await Assertions.Expect(p.Page.Locator("#compare-missing")).ToHaveTextAsync("Not drawn (no objective minimize parameters): browser-six-step");
        await p.WaitForCanvasAsync("#compare-history");
        await p.Page.EvaluateAsync("window.scrollTo(0, 0)"); // a full-page shot from the top keeps the sticky headers in place
        await p.ScreenshotAsync("compare-fronts");
        Assert.Empty(p.Errors());
    }

    [Fact]
    public async Task ComparePage_ShowsNoFrontsOrObjectiveChoice_ForSingleObjectiveExperiments()
    {
        await using var p = await DashboardPage.OpenAsync(host, $"#/compare?ids={host.Data.FinishedId},{host.Data.RunningId}");
        await Assertions.Expect(p.Page.Locator("#compare-table tbody tr")).ToHaveCountAsync(2, new() { Timeout = 20_000 });
        await Assertions.Expect(p.Page.Locator("#compare-table thead")).ToContainTextAsync("objective");
        await Assertions.Expect(p.Page.Locator("#compare-table .front-size")).ToHaveCountAsync(0);
        await p.WaitForCanvasAsync("#compare-history");
        await p.WaitForCanvasAsync("#compare-edf");
        await Assertions.Expect(p.Page.Locator("#compare-fronts")).ToHaveCountAsync(0);
        await Assertions.Expect(p.Page.Locator("#compare-pareto")).ToHaveCountAsync(0);
        await Assertions.Expect(p.Page.Locator("#compare-objective")).ToHaveCountAsync(0);
        Assert.Empty(p.Errors());
    }
}
