using HpSearch.Domain.Experiments;
using HpSearch.Persistence.Model;
using HpSearch.Testing;
using Microsoft.Playwright;

namespace HpSearch.Browser.Tests;

/// <summary>The schedule pages on a host of their own (their runs would add rows to the shared host's experiment list),
/// run alone so that two hosts never compete for the cores of timing-sensitive page tests.</summary>
[Collection(ScheduleBrowserCollection.Name)]
public sealed class SchedulePageTests(BrowserHost host)
{
    [Fact]
    public async Task SchedulePage_ShowsTheRunsAsASeries_AndFlagsTheRegression()
    {
        var scheduleId = await SeedScheduleAsync();

        await using var p = await DashboardPage.OpenAsync(host, "#/schedules");
        await Assertions.Expect(p.Page.Locator("#schedules-table")).ToContainTextAsync("browser-nightly");
        await Assertions.Expect(p.Page.Locator("#schedules-table")).ToContainTextAsync("0 2 * * *");

        await p.GotoAsync($"#/schedules/{scheduleId}");
        await Assertions.Expect(p.Page.Locator("#runs-table tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(p.Page.Locator("#runs-table tbody tr.regression")).ToHaveCountAsync(1);
        await Assertions.Expect(p.Page.Locator("#runs-table tbody tr").Nth(0)).ToContainTextAsync("regression"); // newest first
        await Assertions.Expect(p.Page.Locator("#schedule-series svg circle")).ToHaveCountAsync(3);
        await Assertions.Expect(p.Page.Locator("#next-fire")).ToContainTextAsync("disabled");
        await p.ScreenshotAsync("schedule");

        // A run's own page links back to its schedule and carries the flag.
        await p.Page.Locator("#runs-table tbody tr").Nth(0).Locator("a").ClickAsync();
        await Assertions.Expect(p.Page.Locator("#schedule-link")).ToContainTextAsync("regression");
        await Assertions.Expect(p.Page.Locator("#schedule-link")).ToContainTextAsync("warm start");
        Assert.Empty(p.Errors());
    }

    [Fact]
    public async Task Schedule_IsCreatedPausedResumedEditedAndDeleted_FromTheDashboard()
    {
        await using var p = await DashboardPage.OpenAsync(host, "#/schedules");
        await p.Page.ClickAsync("#new-schedule-button");
        await p.Page.FillAsync("#sf-name", "browser-made");
        await p.Page.FillAsync("#sf-cron", "not a cron");
        await p.Page.FillAsync("#sf-template", Seed.Spec.Replace("\"six-step\"", "\"random\""));
        await p.Page.ClickAsync("#sf-save");
        await p.Page.FillAsync("#api-key", BrowserHost.ApiKey);
        await p.Page.ClickAsync("#api-key-ok");
        // The API's error is shown at the field it names; nothing was stored.
        await Assertions.Expect(p.Page.Locator(".field-error[data-field=cron]")).ToContainTextAsync("cron");

        await p.Page.FillAsync("#sf-cron", "0 3 * * *");
        await p.Page.ClickAsync("#sf-save");
        await Assertions.Expect(p.Page.Locator("#schedule h1")).ToHaveTextAsync("browser-made");
        var badge = p.Page.Locator("#schedule .badge").First;
        await Assertions.Expect(badge).ToHaveTextAsync("enabled");

        await p.Page.ClickAsync("#toggle-schedule");
        await Assertions.Expect(badge).ToHaveTextAsync("paused");
        await Assertions.Expect(p.Page.Locator("#next-fire")).ToContainTextAsync("disabled");
        await p.Page.ClickAsync("#toggle-schedule");
        await Assertions.Expect(badge).ToHaveTextAsync("enabled");

        await p.Page.ClickAsync("#edit-schedule-button");
        Assert.Equal("0 3 * * *", await p.Page.InputValueAsync("#sf-cron"));
        await p.Page.FillAsync("#sf-cron", "30 4 * * *");
        await p.Page.ClickAsync("#sf-save");
        await Assertions.Expect(p.Page.Locator("#schedule")).ToContainTextAsync("30 4 * * *");
        await Assertions.Expect(p.Page.Locator("#schedule-form")).ToHaveCountAsync(0);

        await p.Page.ClickAsync("#delete-schedule");
        await Assertions.Expect(p.Page.Locator("#delete-schedule")).ToHaveTextAsync("Click again to delete");
        await p.Page.ClickAsync("#delete-schedule");
        await Assertions.Expect(p.Page.Locator("#schedules")).Not.ToContainTextAsync("browser-made");
        using var http = host.Http();
        var list = await http.GetStringAsync("/api/schedules");
        Assert.DoesNotContain("browser-made", list);
        Assert.Empty(p.Errors("400")); // the bad cron's 400, which the page showed at its field
    }

    private async Task<Guid> SeedScheduleAsync()
    {
        var now = DateTimeOffset.UtcNow;
        // Disabled: no recurring job, so nothing fires while the page is looked at.
        var schedule = new Schedule
        {
            Id = Guid.NewGuid(), Name = "browser-nightly", Cron = "0 2 * * *", QuartzCron = "0 0 2 * * ?", TimeZone = "UTC",
            TemplateJson = Seed.Spec, Enabled = false, MisfirePolicy = "skip", OverlapPolicy = "skip", WarmStartTopK = 2,
            RegressionMargin = 0.01, CreatedAt = now.AddDays(-3), UpdatedAt = now.AddDays(-3),
        };
        (double Best, double? Previous, bool? Regression)[] nights = [(0.80, null, null), (0.86, 0.80, false), (0.79, 0.86, true)];
        await using var db = host.NewDb();
        db.Schedules.Add(schedule);
        for (var i = 0; i < nights.Length; i++)
        {
            var created = now.AddDays(i - 3);
            db.Experiments.Add(new Experiment
            {
                Id = Guid.NewGuid(), Name = $"browser-nightly 2026-11-{19 + i} 02:00:00", SpecJson = Seed.Spec,
                Strategy = "random", Trainer = "builtin", Dataset = "synthetic-blobs", Pool = "cpu", ObjectiveMetric = "valAccuracy",
                Maximize = true, MaxTrials = 4, Parallelism = 1, MaxEpochs = 2, CreatedAt = created, StartedAt = created,
                FinishedAt = created.AddMinutes(20), UpdatedAt = created.AddMinutes(20), SamplingDone = true, ScheduleId = schedule.Id,
                BestValue = nights[i].Best, PreviousBestValue = nights[i].Previous, Regression = nights[i].Regression,
                WarmStartJson = i == 0 ? null : """[{"lr":0.01},{"lr":0.02}]""",
            }.At(ExperimentStatus.Completed));
        }
        await db.SaveChangesAsync();
        return schedule.Id;
    }
}
