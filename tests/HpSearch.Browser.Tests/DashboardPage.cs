using Microsoft.Playwright;

namespace HpSearch.Browser.Tests;

/// <summary>A page of one test: console errors collected, screenshots saved under the test output.</summary>
public sealed class DashboardPage : IAsyncDisposable
{
    private readonly BrowserHost _host;
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    private DashboardPage(BrowserHost host, IBrowserContext context, IPage page)
    {
        _host = host;
        _context = context;
        Page = page;
        page.Console += (_, m) => { if (m.Type == "error") _errors.Add(m.Text); };
        page.PageError += (_, e) => _errors.Add("page error: " + e);
    }

    public IPage Page { get; }

    /// <summary>Console errors so far, except the ones a test expects (e.g. the 400 of an invalid submit).</summary>
    public IReadOnlyList<string> Errors(params string[] expected) =>
        _errors.Where(e => !expected.Any(x => e.Contains(x, StringComparison.OrdinalIgnoreCase))).ToList();

    public static async Task<DashboardPage> OpenAsync(BrowserHost host, string hash, int width = 1280, int height = 800, ColorScheme scheme = ColorScheme.Light)
    {
        var context = await host.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = scheme,
            BaseURL = host.BaseUrl,
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var result = new DashboardPage(host, context, page);
        await page.GotoAsync(host.BaseUrl + "/" + hash);
        return result;
    }

    public Task GotoAsync(string hash) => Page.GotoAsync(_host.BaseUrl + "/" + hash);

    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(_host.ScreenshotDirectory, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>True when every canvas under <paramref name="selector"/> has painted pixels (a drawn chart).</summary>
    public Task<bool> CanvasDrawnAsync(string selector) => Page.EvaluateAsync<bool>(
        """
        (sel) => {
          const canvases = [...document.querySelectorAll(sel + ' canvas')];
          if (canvases.length === 0) return false;
          return canvases.some(c => {
            const ctx = c.getContext('2d');
            if (!ctx || c.width === 0 || c.height === 0) return false;
            const d = ctx.getImageData(0, 0, c.width, c.height).data;
            let painted = 0;
            for (let i = 3; i < d.length; i += 4 * 7) if (d[i] > 0) painted++;
            return painted > 50;
          });
        }
        """, selector);

    public async Task WaitForCanvasAsync(string selector)
    {
        await Page.Locator(selector).ScrollIntoViewIfNeededAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await CanvasDrawnAsync(selector))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no chart drawn in {selector}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
