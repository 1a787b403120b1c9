using Microsoft.Playwright;

namespace SafeStream.Browser.Tests.Support;

/// <summary>
/// A page in a browser context of its own (its own localStorage: one person), with every console error and uncaught
/// exception recorded, so a Content-Security-Policy violation or a script error fails the test that caused it.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    private BrowserPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            // A refused request is logged by the browser itself; the test asserts on what the page shows instead.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                lock (_errors)
                {
                    _errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add(error);
            }
        };
    }

    public IPage Page { get; }

    public static async Task<BrowserPage> OpenAsync(Chromium chromium, SafeStreamApp app, string path, int width = 1280, int height = 800)
    {
        ArgumentNullException.ThrowIfNull(chromium);
        ArgumentNullException.ThrowIfNull(app);
        var context = await chromium.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = width, Height = height } });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var opened = new BrowserPage(context, page);
        await page.GotoAsync(path);
        return opened;
    }

    public void AssertNoErrors()
    {
        lock (_errors)
        {
            Assert.True(_errors.Count == 0, $"The page logged errors:\n{string.Join('\n', _errors)}");
        }
    }

    /// <summary>A screenshot in the test output's <c>TestResults/screenshots</c>; answers its path.</summary>
    /// <param name="name">The file name.</param>
    /// <param name="fullPage">The whole page rather than the viewport. Chromium scrolls inner lists to their top for it.</param>
    public async Task<string> ScreenshotAsync(string name, bool fullPage = true)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots", name);
        await Page.ScreenshotAsync(new() { Path = path, FullPage = fullPage });
        TestContext.Current.AddAttachment(name, await File.ReadAllBytesAsync(path, Ct), "image/png");
        return path;
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
