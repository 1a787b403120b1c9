using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SafeStream.Browser.Tests.Support;
using SafeStream.Storage;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Model;
using static Microsoft.Playwright.Assertions;

namespace SafeStream.Browser.Tests.Dashboard;

/// <summary>A stream with twenty minutes of history: the KPIs, charts and filters count it, and both pages are photographed.</summary>
public sealed class DashboardOverviewTests(Chromium chromium) : IDisposable
{
    private static readonly string[] HistoryUsers = ["frank", "grace", "heidi", "ivan", "judy"];
    private static readonly string[] HistoryLines = ["nice one", "what a comeback", "hello from Oslo", "is this live?", "haha", "let's go!", "first time here", "GG"];
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task TheKpisChartsAndFiltersShowWhatWasSaid()
    {
        await using var app = BrowserServer.Start(_dir);
        await app.RegisterAdminAsync();
        var (history, historyToxic, historyMinutes) = await SeedHistoryAsync(app);
        await SeedAsync(app);
        var (messages, toxic) = (history + 10, historyToxic + 2);
        await using var viewer = await BrowserPage.OpenAsync(chromium, app, "/chat", 1280, 760);
        var chat = new ChatPage(viewer.Page);
        await chat.RegisterAsync("dave");
        await using var moderator = await BrowserPage.OpenAsync(chromium, app, "/dashboard", 1440, 900);
        var dashboard = new DashboardPage(moderator.Page);
        await dashboard.OpenAsAdminAsync();
        var page = moderator.Page;

        await Expect(page.Locator("#kpi-viewers")).ToHaveTextAsync("1");
        await Expect(page.Locator("#kpi-messages")).ToHaveTextAsync(messages.ToString(CultureInfo.InvariantCulture));
        await Expect(page.Locator("#kpi-toxic")).ToHaveTextAsync((100.0 * toxic / messages).ToString("0.0", CultureInfo.InvariantCulture) + "%");
        await Expect(page.Locator("#kpi-gifts")).ToHaveTextAsync("4");
        await Expect(page.Locator("#kpi-gift-sum")).ToHaveTextAsync("11 in total");
        await Expect(page.Locator("#chart-gifters text.label").First).ToHaveTextAsync("alice");
        await Expect(page.Locator("#chart-rate-note")).ToHaveTextAsync("Last 30 minutes.");
        Assert.InRange(await page.Locator("#chart-rate rect.bar:not(.toxic)").CountAsync(), historyMinutes + 1, historyMinutes + 2);
        await Expect(page.Locator("#chart-toxic circle.dot")).Not.ToHaveCountAsync(0);
        await Expect(dashboard.Feed).ToHaveCountAsync(messages);
        await Expect(page.Locator("#activity li")).ToHaveCountAsync(4);

        await page.Locator("#filter-user").FillAsync("bob");
        await Expect(dashboard.Feed).ToHaveCountAsync(3);
        await page.Locator("#filter-toxic").CheckAsync();
        await Expect(dashboard.Feed).ToHaveCountAsync(1);
        await page.Locator("#filter-user").FillAsync("");
        await Expect(dashboard.Feed).ToHaveCountAsync(toxic);
        await page.Locator("#filter-range").SelectOptionAsync("15");
        await Expect(dashboard.Feed.Filter(new() { HasTextString = "bob" })).ToHaveCountAsync(1);
        await page.Locator("#filter-toxic").UncheckAsync();
        await page.Locator("#filter-range").SelectOptionAsync("all");
        await Expect(dashboard.Feed).ToHaveCountAsync(messages);

        await chat.SayAsync("Loving the stream tonight");
        await Expect(dashboard.Row("Loving the stream tonight")).ToBeVisibleAsync();
        await viewer.Page.GetByRole(AriaRole.Button, new() { Name = "Send a red heart" }).ClickAsync();
        await Expect(page.Locator("#activity li").First).ToContainTextAsync("dave sent a red heart");
        await Expect(chat.Messages.Filter(new() { HasTextString = "dave sent a red heart" })).ToHaveCountAsync(1);
        await dashboard.ScreenshotReadyAsync();
        await moderator.ScreenshotAsync("dashboard.png");
        await viewer.ScreenshotAsync("chat.png", fullPage: false); // the chat page fits its viewport
        await page.GetByRole(AriaRole.Button, new() { Name = "Dark mode" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        await moderator.ScreenshotAsync("dashboard-dark.png");
        moderator.AssertNoErrors();
        viewer.AssertNoErrors();
    }

    /// <summary>Messages of the last twenty minutes, stored as the chat would have stored them; answers the totals.</summary>
    private static async Task<(int Messages, int Toxic, int Minutes)> SeedHistoryAsync(SafeStreamApp app)
    {
        var storage = app.Services.GetRequiredService<IStorage>();
        var ids = app.Services.GetRequiredService<EventIdGenerator>();
        // From the start of the current minute: each minute's few messages (seconds 0 to 6) stay in that minute's bar
        // whatever second the test starts at; from the real time, a start at :55 split minutes over two bars.
        var utc = DateTimeOffset.UtcNow;
        var now = utc.AddTicks(-(utc.UtcTicks % TimeSpan.TicksPerMinute));
        var events = new List<StorageEvent>();
        var toxic = 0;
        for (var minute = 20; minute >= 2; minute--)
        {
            var count = 2 + (minute * 7 % 6);
            for (var i = 0; i < count; i++)
            {
                var isToxic = (minute + i) % 9 == 0;
                toxic += isToxic ? 1 : 0;
                var text = isToxic ? $"{MarkerScorer.Marker} ({minute})" : HistoryLines[(minute + i) % HistoryLines.Length];
                var score = isToxic ? BrowserServer.ToxicScore : BrowserServer.CleanScore;
                events.Add(new ChatMessage(ids.Next(), HistoryUsers[(minute + i) % HistoryUsers.Length], text, isToxic, score, isToxic, now.AddMinutes(-minute).AddSeconds(i)));
            }
        }

        await storage.AppendAsync(events, Ct);
        return (events.Count, toxic, 19);
    }

    private static async Task SeedAsync(SafeStreamApp app)
    {
        var tokens = new Dictionary<string, string>();
        foreach (var user in new[] { "alice", "bob", "carol", "erin" })
        {
            tokens[user] = await app.RegisterAsync(user);
        }

        await app.SayAsync("alice", tokens["alice"], "Hi everyone!", "This stream is great", "What game is next?");
        await app.SayAsync("bob", tokens["bob"], "gg", "that play was amazing", $"you are a {MarkerScorer.Marker}");
        await app.SayAsync("carol", tokens["carol"], "hello from Lisbon", $"{MarkerScorer.Marker}, all of you");
        await app.SayAsync("erin", tokens["erin"], "<script>alert('hi')</script> is just text here", "can you do a Q&A later?");
        await app.GiftAsync("alice", tokens["alice"], 1, 5);
        await app.GiftAsync("bob", tokens["bob"], 4, 2);
        await app.GiftAsync("alice", tokens["alice"], 2, 3);
        await app.GiftAsync("carol", tokens["carol"], 5, 1);
    }
}
