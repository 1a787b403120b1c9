using SafeStream.Server.Hosting;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Stats;

/// <summary>The storage reads behind <c>/metrics</c> and <c>/api/recent</c>, each shared for a second.</summary>
internal sealed class StatsCache
{
    public const int RecentMessages = 100;
    public const int RecentGifts = 50;
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(1);

    private readonly ReadCache<StorageCounts> _counts;
    private readonly ReadCache<(IReadOnlyList<ChatMessage>, IReadOnlyList<Gift>)> _recent;
    private long _resetAtTicks;

    public StatsCache(IStorage storage, TimeProvider time)
    {
        _counts = new(() => CountSinceResetAsync(storage, ResetHere), Ttl, time);
        _recent = new(() => RecentAsync(storage), Ttl, time);
    }

    /// <summary>Totals since the last <c>reset_metrics</c> (since the beginning when never reset).</summary>
    public Task<StorageCounts> CountsAsync(CancellationToken cancellationToken) => _counts.GetAsync(cancellationToken);

    public Task<(IReadOnlyList<ChatMessage> Messages, IReadOnlyList<Gift> Gifts)> RecentAsync(CancellationToken cancellationToken) =>
        _recent.GetAsync(cancellationToken);

    /// <summary>The last reset this instance made, or null.</summary>
    private DateTimeOffset? ResetHere => Interlocked.Read(ref _resetAtTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>
    /// Drops the shared reads; with <paramref name="resetAt"/>, the counts start there at least, even while the stored
    /// reset is not readable yet (in DatabaseFirst a setting written during a slow commit is journalled first).
    /// </summary>
    public void Invalidate(DateTimeOffset? resetAt = null)
    {
        if (resetAt is { } at)
        {
            var ticks = at.UtcTicks;
            long seen;
            while ((seen = Interlocked.Read(ref _resetAtTicks)) < ticks && Interlocked.CompareExchange(ref _resetAtTicks, ticks, seen) != seen)
            {
            }
        }

        _counts.Invalidate();
        _recent.Invalidate();
    }

    private static async Task<StorageCounts> CountSinceResetAsync(IStorage storage, DateTimeOffset? resetHere)
    {
        var stored = WireFormat.ParseTime(await storage.GetSettingAsync(SettingKeys.MetricsResetAt));
        var since = stored is null || (resetHere is { } here && here > stored) ? resetHere : stored;
        return await storage.CountAsync(since, topGifters: 0);
    }

    private static async Task<(IReadOnlyList<ChatMessage>, IReadOnlyList<Gift>)> RecentAsync(IStorage storage) =>
        (await storage.RecentMessagesAsync(new MessageQuery { Limit = RecentMessages }), await storage.RecentGiftsAsync(RecentGifts));
}
