using Microsoft.Playwright;

namespace HpSearch.Browser.Tests;

/// <summary>The Submit page's form, built from the published spec schema: it and the JSON view follow each other, the
/// API's errors appear at the fields they name, and "Clone" on an experiment opens its spec there.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SubmitFormTests(BrowserHost host)
{
    [Fact]
    public async Task FormAndJson_FollowEachOther_AndTheApiErrorShowsAtTheField()
    {
        await using var p = await DashboardPage.OpenAsync(host, "#/submit");
        await Assertions.Expect(p.Page.Locator("#spec-form")).ToBeVisibleAsync();

        await p.Page.FillAsync("#f-budget-maxTrials", "7");
        await Assertions.Expect(p.Page.Locator("#spec-editor")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("\"maxTrials\": 7"));
        await p.Page.SelectOptionAsync("#f-strategy-kind", "grid");
        await Assertions.Expect(p.Page.Locator("#spec-editor")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("\"kind\": \"grid\""));

        var spec = Seed.Spec.Replace("\"low\": 1e-5", "\"low\": -1").Replace("\"maxTrials\": 24", "\"maxTrials\": 5");
        await p.Page.FillAsync("#spec-editor", spec);
        await Assertions.Expect(p.Page.Locator("#f-budget-maxTrials")).ToHaveValueAsync("5");
        await Assertions.Expect(p.Page.Locator("#f-searchSpace-lr-low")).ToHaveValueAsync("-1");
        await Assertions.Expect(p.Page.Locator("#f-strategy-kind")).ToHaveValueAsync("six-step");

        await p.Page.ClickAsync("#submit");
        await p.Page.FillAsync("#api-key", BrowserHost.ApiKey);
        await p.Page.ClickAsync("#api-key-ok");
        var error = p.Page.Locator("[data-path='searchSpace.lr.low'] .field-error");
        await Assertions.Expect(error).ToBeVisibleAsync();
        await Assertions.Expect(error).ToContainTextAsync("greater than 0");
        await p.ScreenshotAsync("submit-form-field-error");
        Assert.Empty(p.Errors("400"));
    }

    [Fact]
    public async Task Clone_OpensTheExperimentsSpec_InTheFormAndTheJson()
    {
        await using var p = await DashboardPage.OpenAsync(host, $"#/experiments/{host.Data.FinishedId}");
        await p.Page.ClickAsync("#clone");
        await Assertions.Expect(p.Page.Locator("#spec-form")).ToBeVisibleAsync();
        await Assertions.Expect(p.Page.Locator("#f-name")).ToHaveValueAsync("browser-six-step");
        await Assertions.Expect(p.Page.Locator("#f-strategy-kind")).ToHaveValueAsync("six-step");
        await Assertions.Expect(p.Page.Locator("#spec-editor")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("\"weightDecay\""));
        await Assertions.Expect(p.Page.Locator("[data-path='searchSpace.optimizer'] select")).ToHaveValueAsync("categorical");
        await p.ScreenshotAsync("submit-form-clone");
        Assert.Empty(p.Errors());
    }
}
