using SafeStream.Storage;

namespace SafeStream.Server.Tests.Security;

/// <summary>A mute silences a user's gifts as well as their chat: a gift is a broadcast to every viewer too.</summary>
public sealed class MutedGiftTests : IAsyncDisposable
{
    private const string Admin = SafeStreamApp.Admin;
    private readonly TempFolder _dir = new();
    private SafeStreamApp? _app;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task AMutedUsersGiftIsRefusedNeitherStoredNorBroadcastAndAllowedAgainAfterUnmute()
    {
        var app = _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst);
        var root = await app.RegisterAdminAsync();
        var bob = await app.RegisterAsync("bob");
        await using var alice = await app.ConnectAsync("alice", await app.RegisterAsync("alice"));
        await app.PostAsync("/api/admin/mute", root, new { username = "bob", minutes = 5 });

        var (muted, body) = await app.PostAsync("/api/gift", bob, new { from = "bob", gift_id = 1, amount = 1 });
        await app.GiftAsync(Admin, root, 2, 1); // the next broadcast alice sees: bob's gift, had it gone out, would come first
        var first = await alice.ReceiveAsync();
        await app.PostAsync("/api/admin/unmute", root, new { username = "bob" });
        var (unmuted, _) = await app.PostAsync("/api/gift", bob, new { from = "bob", gift_id = 3, amount = 1 });
        var second = await alice.ReceiveAsync();

        Assert.Equal(403, muted);
        Assert.StartsWith("You are muted until ", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((Admin, 2), (first.GetProperty("from").GetString(), first.GetProperty("gift_id").GetInt32()));
        Assert.Equal(200, unmuted);
        Assert.Equal(("bob", 3), (second.GetProperty("from").GetString(), second.GetProperty("gift_id").GetInt32()));
        Assert.Equal([3, 2], (await app.Storage.RecentGiftsAsync(10, Ct)).Select(g => g.GiftId));
    }

}
