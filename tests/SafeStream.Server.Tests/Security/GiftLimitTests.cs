using Microsoft.Extensions.Time.Testing;
using SafeStream.Storage;

namespace SafeStream.Server.Tests.Security;

/// <summary>Each gift is a storage write and a broadcast to every socket: per-user bucket and a largest amount.</summary>
public sealed class GiftLimitTests : IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
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
    public async Task GiftsPastTheBurstAre429AndNeitherStoredNorBroadcastUntilTheBucketRefills()
    {
        var app = _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, new Dictionary<string, string?> { ["Limits:GiftsPerSecond"] = "1", ["Limits:GiftBurst"] = "2" }, _time);
        var alice = await app.RegisterAsync("alice");
        var bob = await app.RegisterAsync("bob");

        var (first, _) = await app.PostAsync("/api/gift", alice, new { from = "alice", gift_id = 1, amount = 1 });
        var (second, _) = await app.PostAsync("/api/gift", alice, new { from = "alice", gift_id = 1, amount = 1 });
        var (third, body) = await app.PostAsync("/api/gift", alice, new { from = "alice", gift_id = 1, amount = 1 });
        var (bobs, _) = await app.PostAsync("/api/gift", bob, new { from = "bob", gift_id = 1, amount = 1 });
        _time.Advance(TimeSpan.FromSeconds(1));
        var (refilled, _) = await app.PostAsync("/api/gift", alice, new { from = "alice", gift_id = 1, amount = 1 });

        Assert.Equal((200, 200, 429, 200, 200), (first, second, third, bobs, refilled));
        Assert.StartsWith("Rate limit exceeded", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var gifts = await app.Storage.RecentGiftsAsync(10, Ct);
        Assert.Equal(3, gifts.Count(g => g.From == "alice"));
    }

    [Fact]
    public async Task AGiftOverTheLargestAmountIsRefusedWithTheLegacyDetail()
    {
        var app = _app = SafeStreamApp.Start(_dir, StorageMode.DatabaseFirst, new Dictionary<string, string?> { ["Limits:MaxGiftAmount"] = "100" });
        var alice = await app.RegisterAsync("alice");

        var (largest, _) = await app.PostAsync("/api/gift", alice, new { from = "alice", gift_id = 1, amount = 100 });
        var (over, body) = await app.PostAsync("/api/gift", alice, new { from = "alice", gift_id = 1, amount = 101 });
        var (huge, _) = await app.PostAsync("/api/gift", alice, new { from = "alice", gift_id = 1, amount = int.MaxValue });

        Assert.Equal((200, 400, 400), (largest, over, huge));
        Assert.Equal("Invalid gift data: amount must be an integer between 1 and 100", body.GetProperty("detail").GetString());
        Assert.Single(await app.Storage.RecentGiftsAsync(10, Ct));
    }
}
