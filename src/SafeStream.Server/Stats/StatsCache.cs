using SafeStream.Server.Hosting;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Stats;

/// <summary>The storage reads behind <c>/metrics</c> and <c>/api/recent</c>, each shared for a second.</summary>
public sealed class StatsCache
{
    public const int RecentMessages = 100;
    public const int RecentGifts = 50;
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(1);

    private readonly ReadCache<StorageCounts> _counts;
    private readonly ReadCache<(IReadOnlyList<ChatMessage>, IReadOnlyList<Gift>)> _recent;

    public StatsCache(IStorage storage, TimeProvider time)
    {
        _counts = new(() => CountSinceResetAsync(storage), Ttl, time);
        _recent = new(() => RecentAsync(storage), Ttl, time);
    }

    /// <summary>Totals since the last <c>reset_metrics</c> (since the beginning when never reset).</summary>
    public Task<StorageCounts> CountsAsync(CancellationToken cancellationToken) => _counts.GetAsync(cancellationToken);

    public Task<(IReadOnlyList<ChatMessage> Messages, IReadOnlyList<Gift> Gifts)> RecentAsync(CancellationToken cancellationToken) =>
        _recent.GetAsync(cancellationToken);

    public void Invalidate()
    {
        _counts.Invalidate();
        _recent.Invalidate();
    }

    private static async Task<StorageCounts> CountSinceResetAsync(IStorage storage)
    {
        var reset = await storage.GetSettingAsync(SettingKeys.MetricsResetAt);
        return await storage.CountAsync(WireFormat.ParseTime(reset), topGifters: 0);
    }

    private static async Task<(IReadOnlyList<ChatMessage>, IReadOnlyList<Gift>)> RecentAsync(IStorage storage) =>
        (await storage.RecentMessagesAsync(new MessageQuery { Limit = RecentMessages }), await storage.RecentGiftsAsync(RecentGifts));
}
