using System.Net.WebSockets;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Tests.Chat;

/// <summary><c>Chat:AnonymousViewers</c>: a read-only <c>/ws</c> without an account, over a real server and real WebSockets.</summary>
public sealed class AnonymousViewerTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> On = new() { ["Chat:AnonymousViewers"] = "true" };
    private readonly TempFolder _dir = new();
    private SafeStreamApp? _app;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task AnonymousViewersAreOffByDefaultAndRefusedLikeASocketWithoutAToken()
    {
        var app = Start(null);

        var anonymous = await ChatClient.RefusedStatusAsync(ChatClient.AnonymousAddress(app.BaseAddress));
        var noToken = await ChatClient.RefusedStatusAsync(app.BaseAddress, "alice", null);

        Assert.Equal(403, anonymous);
        Assert.Equal(noToken, anonymous);
    }

    [Fact]
    public async Task AnAnonymousViewerReceivesChatAndGiftsAndCountsAsAViewer()
    {
        var app = Start(On);
        var alice = await app.RegisterAsync("alice");
        await using var viewer = await ChatClient.ConnectToAsync(ChatClient.AnonymousAddress(app.BaseAddress), "(anonymous)");
        await using var secondViewer = await ChatClient.ConnectToAsync(ChatClient.AnonymousAddress(app.BaseAddress), "(anonymous)");
        await using var chat = await app.ConnectAsync("alice", alice);

        var (_, metrics) = await app.GetAsync("/metrics");
        await chat.SendChatAsync("hello viewers");
        await chat.ReceiveAsync(); // broadcast (the gift, sent over HTTP, could otherwise overtake it)
        await app.GiftAsync("alice", alice, 2, 3);
        var message = await viewer.ReceiveAsync();
        var gift = await viewer.ReceiveAsync();

        Assert.Equal(3, metrics.GetProperty("viewer_count").GetInt32()); // two anonymous viewers and alice
        Assert.Equal(("chat", "alice", "hello viewers"), (message.GetProperty("type").GetString(), message.GetProperty("user").GetString(), message.GetProperty("message").GetString()));
        Assert.Equal(("gift", 2, 3), (gift.GetProperty("type").GetString(), gift.GetProperty("gift_id").GetInt32(), gift.GetProperty("amount").GetInt32()));
        Assert.Equal("hello viewers", (await secondViewer.ReceiveAsync()).GetProperty("message").GetString());
    }

    [Fact]
    public async Task WhatAnAnonymousViewerSendsIsRefusedNeverStoredAndItKeepsWatching()
    {
        var app = Start(On);
        var alice = await app.RegisterAsync("alice");
        await using var viewer = await ChatClient.ConnectToAsync(ChatClient.AnonymousAddress(app.BaseAddress), "(anonymous)");

        await viewer.SendChatAsync("let me in");
        var refused = await viewer.ReceiveAsync();
        await viewer.SendAsync([1, 2, 3], WebSocketMessageType.Binary);
        var refusedAgain = await viewer.ReceiveAsync();
        await app.SayAsync("alice", alice, "still watching?");
        var next = await viewer.ReceiveAsync();
        var stored = await app.Storage.RecentMessagesAsync(new MessageQuery { Limit = 10 }, Ct);

        Assert.Equal("Read-only connection", refused.GetProperty("error").GetString());
        Assert.Contains("cannot send", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(refused.GetRawText(), refusedAgain.GetRawText());
        Assert.Equal("still watching?", next.GetProperty("message").GetString());
        Assert.Equal(["still watching?"], stored.Select(m => m.Text));
    }

    [Fact]
    public async Task AnAnonymousViewerCannotOpenTheDashboardFeedNorChatUnderAName()
    {
        var app = Start(On);
        await app.RegisterAsync("alice");

        var (feed, _) = await app.GetAsync("/api/dashboard/feed");
        var (summary, _) = await app.GetAsync("/api/dashboard/summary");
        var asAlice = await ChatClient.RefusedStatusAsync(app.BaseAddress, "alice", null);

        Assert.Equal(401, feed);
        Assert.Equal(401, summary);
        Assert.Equal(403, asAlice);
    }

    [Fact]
    public async Task AnonymousViewersCountAgainstMaxConnectionsAndAreLimitedPerAddress()
    {
        var app = Start(new Dictionary<string, string?>(On) { ["Limits:MaxConnections"] = "3", ["Chat:MaxAnonymousPerAddress"] = "2" });
        var alice = await app.RegisterAsync("alice");
        await using var first = await ChatClient.ConnectToAsync(ChatClient.AnonymousAddress(app.BaseAddress), "(anonymous)");
        await using var second = await ChatClient.ConnectToAsync(ChatClient.AnonymousAddress(app.BaseAddress), "(anonymous)");

        var thirdFromTheSameAddress = await ChatClient.RefusedStatusAsync(ChatClient.AnonymousAddress(app.BaseAddress));
        await using var aliceSocket = await app.ConnectAsync("alice", alice);
        var fullForAlice = await ChatClient.RefusedStatusAsync(app.BaseAddress, "alice", alice);
        await first.CloseAsync(); // answered by the server's close
        var fullForAnonymous = await WaitForStatusAfterLeaveAsync(app);

        Assert.Equal(503, thirdFromTheSameAddress);
        Assert.Equal(503, fullForAlice);
        Assert.Equal(101, fullForAnonymous); // a place came back when the first viewer left
    }

    [Fact]
    public async Task AnAnonymousViewerReconnectingWithSinceGetsWhatItMissed()
    {
        var app = Start(On);
        var alice = await app.RegisterAsync("alice");
        await app.SayAsync("alice", alice, "seen", "missed");
        var seen = (await app.Storage.RecentMessagesAsync(new MessageQuery { Limit = 10 }, Ct)).Single(m => m.Text == "seen").Id;

        await using var viewer = await ChatClient.ConnectToAsync(ChatClient.AnonymousAddress(app.BaseAddress, $"since={seen}"), "(anonymous)");
        var invalid = await ChatClient.RefusedStatusAsync(ChatClient.AnonymousAddress(app.BaseAddress, "since=x"));

        Assert.Equal("missed", (await viewer.ReceiveAsync()).GetProperty("message").GetString());
        Assert.Equal(400, invalid);
    }

    private SafeStreamApp Start(IReadOnlyDictionary<string, string?>? overrides) => _app = SafeStreamApp.Start(_dir, overrides: overrides);

    // The server lets the place go once its side of the close is done, just after the client saw it.
    private static async Task<int> WaitForStatusAfterLeaveAsync(SafeStreamApp app)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var again = await ChatClient.ConnectToAsync(ChatClient.AnonymousAddress(app.BaseAddress), "(anonymous)");
                return 101;
            }
            catch (WebSocketException) when (attempt < 50)
            {
                await Task.Delay(20, Ct);
            }
        }
    }
}
