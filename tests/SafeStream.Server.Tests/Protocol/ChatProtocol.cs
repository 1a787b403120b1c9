using System.Globalization;
using System.Text.Json;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Tests.Protocol;

public abstract partial class ProtocolSuite
{
    [Fact]
    public async Task AChatMessageReachesEveryoneWithTheLegacyFieldsAUniqueIdAndAUtcTimestamp()
    {
        await using var alice = await App.ConnectAsync("alice", await App.RegisterAsync("alice"));
        await using var bob = await App.ConnectAsync("bob", await App.RegisterAsync("bob"));

        await alice.SendTextAsync("{\"type\":\"chat\",\"message\":\"hello\"}");
        await alice.SendTextAsync("{\"message\":\"type may be omitted\"}");
        var first = await bob.ReceiveAsync();
        var second = await bob.ReceiveAsync();
        var echo = await alice.ReceiveAsync();

        Assert.Equal(["type", "id", "user", "message", "toxic", "score", "ts", "blocked"], Names(first));
        Assert.Equal("chat", first.GetProperty("type").GetString());
        Assert.Equal("alice", first.GetProperty("user").GetString());
        Assert.Equal("hello", first.GetProperty("message").GetString());
        Assert.False(first.GetProperty("toxic").GetBoolean());
        Assert.False(first.GetProperty("blocked").GetBoolean());
        Assert.Equal(0.05, first.GetProperty("score").GetDouble());
        var id = first.GetProperty("id").GetInt64();
        Assert.InRange(id, 1, (1L << 53) - 1);
        Assert.True(second.GetProperty("id").GetInt64() > id);
        Assert.Equal("type may be omitted", second.GetProperty("message").GetString());
        Assert.Equal(first.GetRawText(), echo.GetRawText());
        var ts = first.GetProperty("ts").GetString()!;
        Assert.EndsWith("Z", ts, StringComparison.Ordinal);
        var parsed = DateTimeOffset.Parse(ts, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        Assert.InRange(parsed, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task AMessageIsStoredBeforeAnyoneReceivesIt()
    {
        await using var alice = await App.ConnectAsync("alice", await App.RegisterAsync("alice"));

        await alice.SendChatAsync("persist me first");
        var frame = await alice.ReceiveAsync();
        var stored = await App.Storage.RecentMessagesAsync(new MessageQuery { Limit = 10 }, Ct);

        var message = Assert.Single(stored);
        Assert.Equal(frame.GetProperty("id").GetInt64(), message.Id);
        Assert.Equal(("alice", "persist me first", false), (message.User, message.Text, message.Toxic));
    }

    [Fact]
    public async Task AToxicMessageIsStoredAndEchoedOnlyToItsSenderAsBlocked()
    {
        await using var alice = await App.ConnectAsync("alice", await App.RegisterAsync("alice"));
        await using var bob = await App.ConnectAsync("bob", await App.RegisterAsync("bob"));

        await alice.SendChatAsync($"you are a {MarkerScorer.Marker}");
        var echo = await alice.ReceiveAsync();
        await alice.SendChatAsync("sorry");
        var bobsNext = await bob.ReceiveAsync();
        var (_, recent) = await App.GetAsync("/api/recent");
        var (_, recentForAdmin) = await App.GetAsync("/api/recent", await App.RegisterAdminAsync());

        Assert.True(echo.GetProperty("toxic").GetBoolean());
        Assert.True(echo.GetProperty("blocked").GetBoolean());
        Assert.Equal(MarkerScorer.DefaultToxicScore, echo.GetProperty("score").GetDouble());
        Assert.Equal("sorry", bobsNext.GetProperty("message").GetString()); // the toxic one never reached bob
        var blockedId = echo.GetProperty("id").GetInt64();
        Assert.DoesNotContain(recent.GetProperty("recent_data").EnumerateArray(), i => i.GetProperty("id").GetInt64() == blockedId);
        Assert.Contains(recent.GetProperty("recent_data").EnumerateArray(), i => i.GetProperty("msg").GetString() == "sorry");
        Assert.Contains(recentForAdmin.GetProperty("recent_data").EnumerateArray(), i => i.GetProperty("id").GetInt64() == blockedId && i.GetProperty("blocked").GetBoolean());
    }

    [Fact]
    public async Task EverySocketOfAUserReceivesBroadcasts()
    {
        var aliceToken = await App.RegisterAsync("alice");
        await using var phone = await App.ConnectAsync("alice", aliceToken);
        await using var laptop = await App.ConnectAsync("alice", aliceToken);
        await using var bob = await App.ConnectAsync("bob", await App.RegisterAsync("bob"));

        await bob.SendChatAsync("to all of you");

        Assert.Equal("to all of you", (await phone.ReceiveAsync()).GetProperty("message").GetString());
        Assert.Equal("to all of you", (await laptop.ReceiveAsync()).GetProperty("message").GetString());
    }

    [Fact]
    public async Task RecentActivityListsMessagesAndGiftsNewestFirstInTheLegacyShape()
    {
        var alice = await App.RegisterAsync("alice");
        await using var socket = await App.ConnectAsync("alice", alice);
        await socket.SendChatAsync("first");
        await socket.ReceiveAsync();
        await App.PostAsync("/api/gift", alice, new { from = "alice", gift_id = 2, amount = 5 });
        await socket.ReceiveAsync();

        var (status, body) = await App.GetAsync("/api/recent");

        Assert.Equal(200, status);
        var items = body.GetProperty("recent_data").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(("gift", "alice", 2, 5), (items[0].GetProperty("type").GetString(), items[0].GetProperty("user").GetString(), items[0].GetProperty("gift").GetInt32(), items[0].GetProperty("amount").GetInt32()));
        Assert.Equal(("message", "first"), (items[1].GetProperty("type").GetString(), items[1].GetProperty("msg").GetString()));
        foreach (var field in new[] { "ts", "user", "msg", "toxic", "score", "gift", "amount", "type" })
        {
            Assert.All(items, i => Assert.True(i.TryGetProperty(field, out _), field));
        }

        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("gift").ValueKind);
        Assert.EndsWith("Z", items[0].GetProperty("ts").GetString(), StringComparison.Ordinal);
    }
}
