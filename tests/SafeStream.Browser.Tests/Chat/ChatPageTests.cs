using System.Net.WebSockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SafeStream.Browser.Tests.Support;
using SafeStream.Server.Chat;
using static Microsoft.Playwright.Assertions;

namespace SafeStream.Browser.Tests.Chat;

public sealed partial class ChatPageTests(Chromium chromium) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AViewerWhoRegistersAndChatsIsSeenByASecondViewer()
    {
        await using var app = BrowserServer.Start(_dir);
        await using var alice = await BrowserPage.OpenAsync(chromium, app, "/");
        await using var bob = await BrowserPage.OpenAsync(chromium, app, "/chat");
        var (a, b) = (new ChatPage(alice.Page), new ChatPage(bob.Page));

        await a.RegisterAsync("alice");
        await b.RegisterAsync("bob");
        await a.SayAsync("Hello from alice");

        await Expect(alice.Page).ToHaveURLAsync(ChatPath());
        await Expect(b.Line("alice", "Hello from alice")).ToBeVisibleAsync();
        await Expect(a.Line("alice", "Hello from alice")).ToContainClassAsync("mine");
        await Expect(bob.Page.Locator("#viewers")).ToHaveTextAsync("2 watching");
        alice.AssertNoErrors();
        bob.AssertNoErrors();
    }

    [Fact]
    public async Task AToxicMessageIsShownOnlyToItsSenderMarkedAsBlocked()
    {
        await using var app = BrowserServer.Start(_dir);
        await using var alice = await BrowserPage.OpenAsync(chromium, app, "/chat");
        await using var bob = await BrowserPage.OpenAsync(chromium, app, "/chat");
        var (a, b) = (new ChatPage(alice.Page), new ChatPage(bob.Page));
        await a.RegisterAsync("alice");
        await b.RegisterAsync("bob");

        await a.SayAsync($"you are a {MarkerScorer.Marker}");
        await a.SayAsync("sorry, that was rude");

        var blocked = a.Line("alice", $"you are a {MarkerScorer.Marker}");
        await Expect(blocked).ToContainClassAsync("blocked");
        await Expect(blocked).ToContainTextAsync("only you can see this message");
        await Expect(b.Line("alice", "sorry, that was rude")).ToBeVisibleAsync(); // delivered in order: the blocked one would be here by now
        await Expect(b.Messages.Filter(new() { HasTextString = MarkerScorer.Marker })).ToHaveCountAsync(0);
        alice.AssertNoErrors();
        bob.AssertNoErrors();
    }

    [Fact]
    public async Task AHeartSentByOneViewerAppearsForAnother()
    {
        await using var app = BrowserServer.Start(_dir);
        await using var alice = await BrowserPage.OpenAsync(chromium, app, "/chat");
        await using var bob = await BrowserPage.OpenAsync(chromium, app, "/chat");
        var (a, b) = (new ChatPage(alice.Page), new ChatPage(bob.Page));
        await a.RegisterAsync("alice");
        await b.RegisterAsync("bob");

        await bob.Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Send a green heart" }).ClickAsync();

        await Expect(a.Messages.Filter(new() { HasTextString = "bob sent a green heart" })).ToHaveCountAsync(1);
        await Expect(alice.Page.Locator("#gift-ticker")).ToContainTextAsync("bob sent a green heart");
        alice.AssertNoErrors();
        bob.AssertNoErrors();
    }

    [Fact]
    public async Task AViewerWhoseConnectionDropsReconnectsAndMissesNothing()
    {
        await using var app = BrowserServer.Start(_dir);
        var bobToken = await app.RegisterAsync("bob");
        await using var alice = await BrowserPage.OpenAsync(chromium, app, "/chat");
        var a = new ChatPage(alice.Page);
        await a.RegisterAsync("alice");
        await app.SayAsync("bob", bobToken, "said before the drop");
        await Expect(a.Line("bob", "said before the drop")).ToHaveCountAsync(1);

        app.Services.GetRequiredService<ChatHub>().CloseAll(WebSocketCloseStatus.EndpointUnavailable, "going away for a test");
        await Expect(a.Connection).ToContainTextAsync("Reconnecting");
        await app.SayAsync("bob", bobToken, "said while alice was away");

        await Expect(a.Connection).ToHaveTextAsync("Connected");
        await Expect(a.Line("bob", "said while alice was away")).ToHaveCountAsync(1); // replayed through ?since=
        await Expect(a.Line("bob", "said before the drop")).ToHaveCountAsync(1);
        await a.SayAsync("I am back");
        await Expect(a.Line("alice", "I am back")).ToBeVisibleAsync();
        alice.AssertNoErrors();
    }

    [GeneratedRegex("/chat$")]
    private static partial Regex ChatPath();
}
