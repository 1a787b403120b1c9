using SafeStream.Server.Hosting;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Dashboard;

/// <summary>The dashboard's heavier storage reads, shared by every open dashboard for a moment.</summary>
internal sealed class ModeratorReads
{
    public const int TopGifters = 5;
    public const int SeriesMinutes = 30;
    public const int SeriesLimit = 10_000;
    private static readonly TimeSpan CountsTtl = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SeriesTtl = TimeSpan.FromSeconds(5);

    private readonly IStorage _storage;
    private readonly ReadCache<StorageCounts> _counts;
    private readonly ReadCache<SeriesResponse> _series;
    private string? _reset;

    public ModeratorReads(IStorage storage, TimeProvider time)
    {
        _storage = storage;
        _counts = new(() => storage.CountAsync(WireFormat.ParseTime(Volatile.Read(ref _reset)), TopGifters), CountsTtl, time);
        _series = new(() => SeriesAsync(storage, time), SeriesTtl, time);
    }

    /// <summary>Totals since the last metrics reset (and when that was), with the top gifters.</summary>
    /// <remarks>
    /// The reset instant is read every time, so a reset (from this dashboard, another one or another instance) shows at
    /// once. It is the same instant <c>/metrics</c> counts from, so the file store answers both from one set of totals.
    /// </remarks>
    public async Task<(StorageCounts Counts, DateTimeOffset? ResetAt)> CountsAsync(CancellationToken cancellationToken)
    {
        var reset = await _storage.GetSettingAsync(SettingKeys.MetricsResetAt, cancellationToken);
        if (Interlocked.Exchange(ref _reset, reset) != reset)
        {
            _counts.Invalidate();
        }

        return (await _counts.GetAsync(cancellationToken), WireFormat.ParseTime(reset));
    }

    public Task<SeriesResponse> SeriesAsync(CancellationToken cancellationToken) => _series.GetAsync(cancellationToken);

    private static async Task<SeriesResponse> SeriesAsync(IStorage storage, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var messages = await storage.RecentMessagesAsync(new MessageQuery { Since = now.AddMinutes(-SeriesMinutes - 1), Limit = SeriesLimit });
        return ChartSeries.Build(messages, now, SeriesMinutes, messages.Count >= SeriesLimit);
    }
}
