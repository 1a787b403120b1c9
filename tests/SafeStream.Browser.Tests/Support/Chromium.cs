using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(SafeStream.Browser.Tests.Support.Chromium))]

namespace SafeStream.Browser.Tests.Support;

/// <summary>
/// One headless Chromium for the whole run, found in this order: <c>SAFESTREAM_CHROMIUM</c> (a binary you name),
/// Debian's <c>/usr/bin/chromium</c> (what .ci/run installs), or the browser Playwright downloaded for itself. None of
/// them fails every test, loudly, saying how to get one.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string DefaultPath = "/usr/bin/chromium";
    public const string Variable = "SAFESTREAM_CHROMIUM";

    private const string HowToGetOne =
        "Install one with `apt-get install -y chromium` (Debian; .ci/run does this), or let Playwright download its own with "
        + "`pwsh tests/SafeStream.Browser.Tests/bin/Debug/net10.0/playwright.ps1 install chromium`, or point " + Variable + " at a Chromium binary.";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium has not started.");

    /// <summary>The binary to launch, or null for Playwright's own browser.</summary>
    public static string? ExecutablePath()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } named)
        {
            return File.Exists(named)
                ? named
                : throw new InvalidOperationException($"{Variable} names {named}, and there is no file there. {HowToGetOne}");
        }

        return File.Exists(DefaultPath) ? DefaultPath : null;
    }

    public async ValueTask InitializeAsync()
    {
        var path = ExecutablePath();
        Assertions.SetDefaultExpectTimeout(10_000);
        _playwright = await Playwright.CreateAsync();
        try
        {
            _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = path, Headless = true, Args = ["--no-sandbox"] });
        }
        catch (PlaywrightException ex) when (path is null)
        {
            throw new InvalidOperationException($"The browser tests need Chromium: not in {Variable}, not at {DefaultPath}, and Playwright has none of its own ({ex.Message.Split('\n')[0]}). {HowToGetOne}", ex);
        }
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
