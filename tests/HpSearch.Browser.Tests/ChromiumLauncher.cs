using Microsoft.Playwright;

namespace HpSearch.Browser.Tests;

/// <summary>Debian's Chromium driven by Playwright, offline: no browser download, no background networking.</summary>
public static class ChromiumLauncher
{
    public static readonly string[] Args =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("HPSEARCH_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = Args,
        });
}
