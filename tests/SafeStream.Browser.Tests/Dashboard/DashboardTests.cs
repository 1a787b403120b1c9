using Microsoft.Playwright;
using SafeStream.Browser.Tests.Support;
using SafeStream.Storage;
using static Microsoft.Playwright.Assertions;

namespace SafeStream.Browser.Tests.Dashboard;

public sealed class DashboardTests(Chromium chromium) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AViewerWhoSignsInToTheDashboardIsToldItIsForModeratorsOnly()
    {
        await using var app = BrowserServer.Start(_dir);
        await app.RegisterAsync("bob");
        await using var page = await BrowserPage.OpenAsync(chromium, app, "/dashboard");
        var dashboard = new DashboardPage(page.Page);

        await dashboard.SignInAsync("bob", "not-his-password");
        await Expect(page.Page.Locator("#signin-error")).ToHaveTextAsync("Incorrect username or password");
        await dashboard.SignInAsync("bob");

        await Expect(page.Page.Locator("#refused-view")).ToContainTextAsync("bob, who is not a moderator");
        await Expect(page.Page.Locator("#dash-view")).ToBeHiddenAsync();
        page.AssertNoErrors();
    }

    [Fact]
    public async Task AnAdminSeesAMessageLiveMutesItsSenderAndTheSendersNextMessageIsRefused()
    {
        await using var app = BrowserServer.Start(_dir);
        await app.RegisterAdminAsync();
        await using var moderator = await BrowserPage.OpenAsync(chromium, app, "/dashboard");
        await using var viewer = await BrowserPage.OpenAsync(chromium, app, "/chat");
        var (dashboard, chat) = (new DashboardPage(moderator.Page), new ChatPage(viewer.Page));
        await chat.RegisterAsync("alice");
        await dashboard.OpenAsAdminAsync();

        await chat.SayAsync("hello moderators");
        await chat.SayAsync($"a {MarkerScorer.Marker} message");
        await Expect(dashboard.Row("hello moderators")).ToBeVisibleAsync();
        var toxic = dashboard.Row($"a {MarkerScorer.Marker} message");
        await Expect(toxic).ToContainClassAsync("toxic");
        await Expect(toxic.Locator(".badge.toxic")).ToHaveTextAsync("toxic 0.93");
        await Expect(toxic.Locator(".badge.blocked")).ToHaveTextAsync("blocked");

        await dashboard.Row("hello moderators").HoverAsync();
        await dashboard.Row("hello moderators").GetByRole(AriaRole.Button, new() { Name = "Mute alice" }).ClickAsync();
        await dashboard.ConfirmAsync("Mute alice?");
        await Expect(dashboard.Outcome).ToHaveTextAsync("Muted user: alice for 5 minutes");
        await Expect(moderator.Page.Locator("#activity")).ToContainTextAsync("root muted alice");
        await chat.SayAsync("am I still here?");

        await Expect(chat.Banner).ToContainTextAsync("You are muted until");
        await Expect(moderator.Page.Locator("#kpi-messages")).ToHaveTextAsync("2");
        moderator.AssertNoErrors();
        viewer.AssertNoErrors();
    }

    [Fact]
    public async Task AScriptInAMessageIsShownAsTextAndNeverRuns()
    {
        const string Payload = "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\"><b>bold?</b>";
        await using var app = BrowserServer.Start(_dir);
        await app.RegisterAdminAsync();
        await using var moderator = await BrowserPage.OpenAsync(chromium, app, "/dashboard");
        await using var viewer = await BrowserPage.OpenAsync(chromium, app, "/chat");
        var (dashboard, chat) = (new DashboardPage(moderator.Page), new ChatPage(viewer.Page));
        await chat.RegisterAsync("mallory");
        await dashboard.OpenAsAdminAsync();

        await chat.SayAsync(Payload);

        await Expect(chat.Line("mallory", Payload)).ToBeVisibleAsync();
        await Expect(dashboard.Row(Payload)).ToBeVisibleAsync();
        foreach (var (page, list) in new[] { (viewer.Page, "#messages"), (moderator.Page, "#feed") })
        {
            await Expect(page.Locator($"{list} script, {list} img, {list} b")).ToHaveCountAsync(0);
            Assert.True(await page.EvaluateAsync<bool>("() => window.pwned === undefined"));
        }

        moderator.AssertNoErrors();
        viewer.AssertNoErrors();
    }

    [Fact]
    public async Task TheStoragePanelShowsTheModeInForceAfterTheOperatorFlipsIt()
    {
        await using var app = BrowserServer.Start(_dir, StorageMode.JsonlOnly);
        await app.RegisterAdminAsync();
        await using var moderator = await BrowserPage.OpenAsync(chromium, app, "/dashboard");
        var dashboard = new DashboardPage(moderator.Page);
        await dashboard.OpenAsAdminAsync();
        await Expect(moderator.Page.Locator("#storage-active")).ToHaveTextAsync("JsonlOnly");

        app.Live.Set("Storage:Mode", "DualWrite");

        await Expect(moderator.Page.Locator("#storage-active")).ToHaveTextAsync("DualWrite");
        await Expect(moderator.Page.Locator("#storage-requested")).ToHaveTextAsync("DualWrite");
        await Expect(moderator.Page.Locator("#storage-reads")).ToHaveTextAsync("Files (database in shadow)");
        await Expect(moderator.Page.Locator("#storage-breaker")).ToHaveTextAsync("Breaker Closed");
        moderator.AssertNoErrors();
    }
}
