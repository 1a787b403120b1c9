using Microsoft.Playwright;
using SafeStream.Browser.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace SafeStream.Browser.Tests.Dashboard;

public sealed class DashboardActionTests(Chromium chromium) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AKickedViewerIsToldAndSignedOutAndAnUnmuteIsConfirmed()
    {
        await using var app = BrowserServer.Start(_dir);
        await app.RegisterAdminAsync();
        await using var moderator = await BrowserPage.OpenAsync(chromium, app, "/dashboard");
        await using var viewer = await BrowserPage.OpenAsync(chromium, app, "/chat");
        var (dashboard, chat) = (new DashboardPage(moderator.Page), new ChatPage(viewer.Page));
        await chat.RegisterAsync("alice");
        await dashboard.OpenAsAdminAsync();
        var page = moderator.Page;

        await page.Locator("#action-form").GetByLabel("Username").FillAsync("alice");
        await page.GetByRole(AriaRole.Button, new() { Name = "Unmute", Exact = true }).ClickAsync();
        await dashboard.ConfirmAsync("Unmute alice?");
        await Expect(dashboard.Outcome).ToHaveTextAsync("Unmuted user: alice");
        await page.GetByRole(AriaRole.Button, new() { Name = "Kick", Exact = true }).ClickAsync();
        await dashboard.ConfirmAsync("Kick alice?");

        await Expect(dashboard.Outcome).ToHaveTextAsync("Kicked user: alice");
        await Expect(viewer.Page.Locator("#kicked-view")).ToContainTextAsync("You were removed from the chat");
        // The page shows the kicked view and forgets the token in the same close handler, in either order: wait for both.
        await viewer.Page.WaitForFunctionAsync("() => localStorage.getItem('safestream_token') === null");
        Assert.Null(await viewer.Page.EvaluateAsync<string?>("() => localStorage.getItem('safestream_token')"));
        moderator.AssertNoErrors();
        viewer.AssertNoErrors();
    }

    [Fact]
    public async Task ACancelledActionDoesNothingAndAnActionOnAnUnknownUserSaysSo()
    {
        await using var app = BrowserServer.Start(_dir);
        await app.RegisterAdminAsync();
        await using var moderator = await BrowserPage.OpenAsync(chromium, app, "/dashboard");
        var dashboard = new DashboardPage(moderator.Page);
        await dashboard.OpenAsAdminAsync();
        var page = moderator.Page;
        await page.Locator("#action-form").GetByLabel("Username").FillAsync("nobody");

        await page.GetByRole(AriaRole.Button, new() { Name = "Mute", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToBeHiddenAsync();
        await Expect(dashboard.Outcome).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Mute", Exact = true }).ClickAsync();
        await dashboard.ConfirmAsync("Mute nobody?");

        await Expect(dashboard.Outcome).ToHaveTextAsync("User not found: nobody");
        await Expect(dashboard.Outcome).ToContainClassAsync("error");
        moderator.AssertNoErrors();
    }

    [Fact]
    public async Task TheThresholdSliderAndAMetricsResetAreConfirmedAndApplied()
    {
        await using var app = BrowserServer.Start(_dir);
        await app.RegisterAdminAsync();
        var token = await app.RegisterAsync("alice");
        await app.SayAsync("alice", token, "one", "two");
        await using var moderator = await BrowserPage.OpenAsync(chromium, app, "/dashboard");
        var dashboard = new DashboardPage(moderator.Page);
        await dashboard.OpenAsAdminAsync();
        var page = moderator.Page;
        await Expect(page.Locator("#kpi-messages")).ToHaveTextAsync("2");
        await Expect(page.Locator("#threshold-current")).ToHaveTextAsync("0.60");

        await page.Locator("#threshold").FillAsync("0.35");
        await Expect(page.Locator("#threshold-value")).ToHaveTextAsync("0.35");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await dashboard.ConfirmAsync("Set the threshold to 0.35?");
        await Expect(dashboard.Outcome).ToHaveTextAsync("Threshold set to 0.35.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reset metrics" }).ClickAsync();
        await dashboard.ConfirmAsync("Reset metrics?");

        await Expect(dashboard.Outcome).ToHaveTextAsync("Metrics reset: counting from now.");
        await Expect(page.Locator("#kpi-messages")).ToHaveTextAsync("0");
        await Expect(page.Locator("#kpi-since")).ToContainTextAsync("since reset");
        await Expect(page.Locator("#threshold-current")).ToHaveTextAsync("0.35");
        Assert.Equal("{\"threshold\":0.35}", await app.Http.GetStringAsync("/api/mod/threshold", Ct));
        moderator.AssertNoErrors();
    }
}
