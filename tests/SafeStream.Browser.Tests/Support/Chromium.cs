using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(SafeStream.Browser.Tests.Support.Chromium))]

namespace SafeStream.Browser.Tests.Support;

/// <summary>
/// One headless Chromium for the whole run: Debian's <c>chromium</c> package (Playwright's own download cannot reach
/// its CDN here). <c>SAFESTREAM_CHROMIUM</c> names another binary. A missing browser fails every test, loudly.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string DefaultPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium has not started.");

    public static string ExecutablePath => Environment.GetEnvironmentVariable("SAFESTREAM_CHROMIUM") is { Length: > 0 } path ? path : DefaultPath;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"The browser tests need Chromium at {ExecutablePath}, and it is not there. Install it with `apt-get install -y chromium` "
                + "(.ci/run does), or point SAFESTREAM_CHROMIUM at a Chromium binary.");
        }

        Assertions.SetDefaultExpectTimeout(10_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ExecutablePath, Headless = true, Args = ["--no-sandbox"] });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
