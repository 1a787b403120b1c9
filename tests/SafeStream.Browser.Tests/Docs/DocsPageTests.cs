using SafeStream.Browser.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace SafeStream.Browser.Tests.Docs;

/// <summary>The packaged OpenAPI viewer runs under the pages' strict Content-Security-Policy, offline.</summary>
public sealed class DocsPageTests(Chromium chromium) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task TheDocsRenderTheApiWithTheBearerSchemeAndNoContentSecurityPolicyViolation()
    {
        await using var app = BrowserServer.Start(_dir);
        await using var page = await BrowserPage.OpenAsync(chromium, app, "/docs");

        await Expect(page.Page.Locator(".swagger-ui .info .title")).ToContainTextAsync("SafeStream", new() { Timeout = 60_000 }); // Swagger UI renders from a large script: slow on a loaded 2-core machine
        await Expect(page.Page.Locator(".opblock-summary-path", new() { HasText = "/api/admin/kick" })).ToBeVisibleAsync();
        await page.Page.Locator("button.authorize").ClickAsync();
        await Expect(page.Page.Locator(".auth-container")).ToContainTextAsync("Bearer");

        page.AssertNoErrors(); // a script or style the policy refused is a console error
    }
}
