using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SafeStream.Server.Telemetry;

/// <summary>
/// The service's own instruments (meter <c>SafeStream</c>), exported with the ASP.NET Core ones for Prometheus. The hot
/// paths only add to counters; gauges over the hub and storage are read when scraped (see <see cref="TelemetryExtensions"/>).
/// </summary>
internal sealed class ServerMetrics
{
    public const string MeterName = "SafeStream";

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _delivered;
    private readonly Histogram<double> _deliveryLatency;
    private readonly Counter<long> _slowClientDrops;
    private readonly Counter<long> _rateLimited;

    public ServerMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        Meter = meters.Create(MeterName);
        _accepted = Meter.CreateCounter<long>("safestream.chat.messages.accepted", "{message}", "Chat messages stored and handed to delivery");
        _delivered = Meter.CreateCounter<long>("safestream.chat.frames.delivered", "{frame}", "Chat and gift frames written to a socket");
        _deliveryLatency = Meter.CreateHistogram<double>(
            "safestream.chat.delivery.duration",
            "s",
            "From a chat message's arrival to its broadcast (moderated, stored, queued for every socket)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _slowClientDrops = Meter.CreateCounter<long>("safestream.chat.slow_client.drops", "{socket}", "Sockets dropped because their client fell too far behind");
        _rateLimited = Meter.CreateCounter<long>("safestream.rate_limit.refusals", "{request}", "Requests refused by a rate limit, by limit");
        _slowClientDrops.Add(0); // an alert on it needs the series before the first drop
    }

    public Meter Meter { get; }

    public void Accepted(int count) => _accepted.Add(count);

    public void Delivered() => _delivered.Add(1);

    public void DeliveredAfter(long receivedTimestamp, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _deliveryLatency.Record(time.GetElapsedTime(receivedTimestamp).TotalSeconds);
    }

    public void SlowClientDropped() => _slowClientDrops.Add(1);

    /// <summary>A refusal by <paramref name="limit"/>: login_address, login_username, register_address, password_queue, chat, gift.</summary>
    public void RateLimited(string limit) => _rateLimited.Add(1, new TagList { { "limit", limit } });
}
