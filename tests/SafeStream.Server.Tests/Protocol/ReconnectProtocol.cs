using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SafeStream.Server.Hosting;
using SafeStream.Server.Tests.Support;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Tests.Protocol;

// ?since=<id>: a reconnect replays what it missed from storage, once, in order, then the live feed.
public abstract partial class ProtocolSuite
{
    [Fact]
    public async Task AReconnectWithSinceGetsWhatItMissedOnceInOrderThenTheLiveFeed()
    {
        var pause = new PausedBacklog();
        var app = Start(services: pause.Install);
        var aliceToken = await app.RegisterAsync("alice");
        var bobToken = await app.RegisterAsync("bob");
        await using var alice = await app.ConnectAsync("alice", aliceToken);
        long lastSeen;
        await using (var bob = await app.ConnectAsync("bob", bobToken))
        {
            await SayAsync(alice, "seen 1");
            await SayAsync(alice, "seen 2");
            Assert.Equal("seen 1", (await bob.ReceiveAsync()).GetProperty("message").GetString());
            lastSeen = (await bob.ReceiveAsync()).GetProperty("id").GetInt64();
        }

        await SayAsync(alice, "missed 1");
        await SayAsync(alice, $"blocked {MarkerScorer.Marker}");
        await SayAsync(alice, "missed 2");
        var connecting = ChatClient.ConnectToAsync(ChatClient.Address(app.BaseAddress, "bob", bobToken, $"since={lastSeen}"), "bob");
        await pause.Reading;
        await SayAsync(alice, "stored before the read"); // in the backlog, and held as a live frame too
        pause.LetItRead();
        await pause.Read;
        await SayAsync(alice, "stored after the read"); // held as a live frame only
        await app.GiftAsync("alice", aliceToken, 3, 1);
        pause.LetItAnswer();
        await using var back = await connecting;
        await SayAsync(alice, "live");
        var frames = await FramesUntilAsync(back, "live");

        Assert.Equal(["missed 1", "missed 2", "stored before the read", "stored after the read", "gift 3", "live"], frames.Select(Describe));
        var ids = frames.Where(f => f.GetProperty("type").GetString() == "chat").Select(f => f.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.All(ids, id => Assert.True(id > lastSeen));
    }

    [Fact]
    public async Task ASinceOlderThanTheReplayLimitGetsTheNewestMessagesAfterASkippedFrame()
    {
        var app = Start(new Dictionary<string, string?> { ["Chat:ReplayLimit"] = "2" });
        var alice = await app.RegisterAsync("alice");
        await app.SayAsync("alice", alice, "one", "two", "three", "four", "five");
        var stored = await app.Storage.RecentMessagesAsync(new MessageQuery { Limit = 10 }, Ct);
        var one = stored.Single(m => m.Text == "one").Id;
        var three = stored.Single(m => m.Text == "three").Id;

        await using var farBack = await ChatClient.ConnectToAsync(ChatClient.Address(app.BaseAddress, "alice", alice, $"since={one}"), "alice");
        var skipped = await farBack.ReceiveAsync();
        var farBackFrames = new[] { await farBack.ReceiveAsync(), await farBack.ReceiveAsync() };
        await using var justInside = await ChatClient.ConnectToAsync(ChatClient.Address(app.BaseAddress, "alice", alice, $"since={three}"), "alice");
        await app.SayAsync("alice", alice, "six");
        var justInsideFrames = await FramesUntilAsync(justInside, "six");

        Assert.Equal(["type", "message", "since", "replay_limit"], Names(skipped));
        Assert.Equal("skipped", skipped.GetProperty("type").GetString());
        Assert.Equal(one, skipped.GetProperty("since").GetInt64());
        Assert.Equal(2, skipped.GetProperty("replay_limit").GetInt32());
        Assert.Contains("only the newest 2 follow", skipped.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(["four", "five"], farBackFrames.Select(Describe));
        Assert.Equal(["four", "five", "six"], justInsideFrames.Select(Describe)); // exactly the limit missed: nothing skipped, no notice
    }

    [Fact]
    public async Task AnInvalidSinceIsRefusedBeforeTheHandshakeWithTheRule()
    {
        var alice = await App.RegisterAsync("alice");
        string[] invalid = ["since=abc", "since=-1", "since=1.5", "since=", "since=+7", "since=9007199254740992", "since=1&since=2"];

        var statuses = new List<int>();
        foreach (var query in invalid)
        {
            statuses.Add(await ChatClient.RefusedStatusAsync(ChatClient.Address(App.BaseAddress, "alice", alice, query)));
        }

        var (status, detail) = await RefusedUpgradeAsync($"/ws/alice?token={alice}&since=abc");

        Assert.All(statuses, s => Assert.Equal(400, s));
        Assert.Equal(400, status);
        Assert.Equal("since must be the id of the last chat message seen: a whole number from 0 to 9007199254740991", detail);
    }

    [Fact]
    public async Task ALegacyClientWithoutSinceSeesTodaysFramesByteForByteAndNoBacklog()
    {
        var aliceToken = await App.RegisterAsync("alice");
        var bobToken = await App.RegisterAsync("bob");
        await using var alice = await App.ConnectAsync("alice", aliceToken);
        await using var legacy = await App.ConnectAsync("bob", bobToken);

        await SayAsync(alice, "first");
        var first = await legacy.ReceiveTextAsync();
        await using var replaying = await ChatClient.ConnectToAsync(ChatClient.Address(App.BaseAddress, "bob", bobToken, "since=0"), "bob");
        var replayed = await replaying.ReceiveTextAsync();
        await using var legacyAgain = await App.ConnectAsync("bob", bobToken);
        await SayAsync(alice, "second");
        var second = await legacy.ReceiveTextAsync();
        var stored = await App.Storage.RecentMessagesAsync(new MessageQuery { Limit = 10 }, Ct);

        Assert.Equal(LegacyChatFrame(stored.Single(m => m.Text == "first")), first);
        Assert.Equal(LegacyChatFrame(stored.Single(m => m.Text == "second")), second);
        Assert.Equal(first, replayed); // a replayed message is the same frame, byte for byte
        Assert.Equal(second, await replaying.ReceiveTextAsync());
        Assert.Equal(second, await legacyAgain.ReceiveTextAsync()); // reconnecting without since replays nothing
    }

    private static string LegacyChatFrame(ChatMessage m) =>
        $"{{\"type\":\"chat\",\"id\":{m.Id},\"user\":\"{m.User}\",\"message\":\"{m.Text}\",\"toxic\":false,\"score\":0.05,\"ts\":\"{WireFormat.FormatTime(m.Ts)}\",\"blocked\":false}}";

    /// <summary>Sends a chat message and waits for its echo: it is stored.</summary>
    private static async Task SayAsync(ChatClient sender, string message)
    {
        await sender.SendChatAsync(message);
        while (!((await sender.ReceiveAsync()).TryGetProperty("message", out var m) && m.GetString() == message))
        {
        }
    }

    private static async Task<List<JsonElement>> FramesUntilAsync(ChatClient client, string lastMessage)
    {
        var frames = new List<JsonElement>();
        while (true)
        {
            var frame = await client.ReceiveAsync();
            frames.Add(frame);
            if (frame.TryGetProperty("message", out var m) && m.GetString() == lastMessage)
            {
                return frames;
            }
        }
    }

    private static string Describe(JsonElement frame) => frame.GetProperty("type").GetString() switch
    {
        "chat" => frame.GetProperty("message").GetString()!,
        "gift" => $"gift {frame.GetProperty("gift_id").GetInt32()}",
        var other => other!,
    };

    /// <summary>A WebSocket upgrade request the server refuses: its status and detail, which a WebSocket client cannot see.</summary>
    private async Task<(int Status, string Detail)> RefusedUpgradeAsync(string pathAndQuery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(new byte[16]));
        using var response = await App.Http.SendAsync(request, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return ((int)response.StatusCode, Detail(body));
    }
}
