using SafeStream.Server.Tests.Support;

namespace SafeStream.Server.Tests.Protocol;

public abstract partial class ProtocolSuite
{
    [Fact]
    public async Task AGiftIsStoredAnsweredQueuedAndBroadcastAsTheLegacyGiftFrame()
    {
        var alice = await App.RegisterAsync("alice");
        await using var bob = await App.ConnectAsync("bob", await App.RegisterAsync("bob"));

        var (status, body) = await App.PostAsync("/api/gift", alice, new { from = "alice", gift_id = 3, amount = 2, type = "gift" });
        var frame = await bob.ReceiveAsync();
        var (aliasStatus, _) = await App.PostAsync("/api/gift", alice, new { from_user = "alice", gift_id = 0, amount = 1 });
        var alias = await bob.ReceiveAsync();
        var stored = await App.Storage.RecentGiftsAsync(10, Ct);

        Assert.Equal(200, status);
        Assert.Equal("{\"status\":\"queued\"}", body.GetRawText());
        Assert.Equal(["type", "id", "from", "gift_id", "amount", "ts"], Names(frame));
        Assert.Equal(("gift", "alice", 3, 2), (frame.GetProperty("type").GetString(), frame.GetProperty("from").GetString(), frame.GetProperty("gift_id").GetInt32(), frame.GetProperty("amount").GetInt32()));
        Assert.EndsWith("Z", frame.GetProperty("ts").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, aliasStatus);
        Assert.Equal(0, alias.GetProperty("gift_id").GetInt32());
        Assert.Equal([alias.GetProperty("id").GetInt64(), frame.GetProperty("id").GetInt64()], stored.Select(g => g.Id));
    }

    [Fact]
    public async Task GiftsNeedATokenAndAreSentAsTheCallerUnlessAnAdminSendsThem()
    {
        var alice = await App.RegisterAsync("alice");
        await App.RegisterAsync("bob");
        var root = await App.RegisterAdminAsync();

        var (anonymous, anonymousBody) = await App.PostAsync("/api/gift", null, new { from = "alice", gift_id = 1, amount = 1 });
        var (spoofed, spoofedBody) = await App.PostAsync("/api/gift", alice, new { from = "bob", gift_id = 1, amount = 1 });
        var (byAdmin, _) = await App.PostAsync("/api/gift", root, new { from = "bob", gift_id = 1, amount = 1 });

        Assert.Equal(401, anonymous);
        Assert.Equal("Not authenticated", Detail(anonymousBody));
        Assert.Equal(403, spoofed);
        Assert.Equal("Gifts can only be sent as yourself", Detail(spoofedBody));
        Assert.Equal(200, byAdmin);
        Assert.Equal(["bob"], (await App.Storage.RecentGiftsAsync(10, Ct)).Select(g => g.From));
    }

    [Fact]
    public async Task InvalidGiftsAre400WithTheLegacyDetail()
    {
        var alice = await App.RegisterAsync("alice");
        object[] gifts =
        [
            new { from = "alice", gift_id = 1, amount = 0 },
            new { from = "alice", gift_id = -1, amount = 1 },
            new { from = "alice", gift_id = 1.5, amount = 1 },
            new { from = "alice", gift_id = "1", amount = 1 },
            new { gift_id = 1, amount = 1 },
            new { from = "alice", gift_id = 1, amount = 1, type = "chat" },
            new { from = "al ice", gift_id = 1, amount = 1 },
            new[] { 1, 2 },
        ];

        foreach (var gift in gifts)
        {
            var (status, body) = await App.PostAsync("/api/gift", alice, gift);

            Assert.Equal(400, status);
            Assert.StartsWith("Invalid gift data: ", Detail(body), StringComparison.Ordinal);
        }

        Assert.Empty(await App.Storage.RecentGiftsAsync(10, Ct));
    }

    [Fact]
    public async Task NoRequestEverCreatesAnAccount()
    {
        var root = await App.RegisterAdminAsync();
        var ghostToken = Tokens.Mint(SafeStreamApp.Secret, "ghost", DateTimeOffset.UtcNow.AddMinutes(5));

        var (gift, _) = await App.PostAsync("/api/gift", root, new { from = "ghost", gift_id = 1, amount = 1 });
        var (kick, kickBody) = await App.PostAsync("/api/admin/kick", root, new { username = "ghost" });
        var (mute, _) = await App.PostAsync("/api/admin/mute", root, new { username = "ghost" });
        var socket = await ChatClient.RefusedStatusAsync(App.BaseAddress, "ghost", ghostToken);
        var (me, _) = await App.GetAsync("/auth/me", ghostToken);

        Assert.Equal(200, gift); // the event keeps the name as given
        Assert.Equal((404, "User not found: ghost"), (kick, Detail(kickBody)));
        Assert.Equal(404, mute);
        Assert.Equal(403, socket);
        Assert.Equal(401, me);
        Assert.Null(await App.Storage.FindUserAsync("ghost", Ct));
    }
}
