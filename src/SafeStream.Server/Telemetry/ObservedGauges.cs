using System.Diagnostics.Metrics;
using SafeStream.Server.Chat;
using SafeStream.Storage;

namespace SafeStream.Server.Telemetry;

/// <summary>
/// Gauges and counters read when scraped (open sockets, viewers, breaker, journal backlog, DualWrite counters,
/// replayed records). A hosted service only so that it exists from the start.
/// </summary>
internal sealed class ObservedGauges : IHostedService
{
    public ObservedGauges(ServerMetrics metrics, ChatHub hub, IStorageStatus status)
    {
        var meter = metrics.Meter;
        meter.CreateObservableGauge("safestream.chat.sockets.open", () => hub.ConnectionCount, "{socket}", "Open chat WebSockets on this instance");
        meter.CreateObservableGauge("safestream.chat.viewers", () => hub.ViewerCount, "{user}", "Users with at least one open socket on this instance, and anonymous viewers");
        meter.CreateObservableGauge("safestream.storage.breaker.state", () => BreakerState(status.Current.Breaker), "{state}", "Database circuit breaker: 0 closed, 1 half-open, 2 open, 3 isolated");
        meter.CreateObservableGauge("safestream.storage.journal.backlog", () => status.Current.JournalBacklog, "{record}", "Journalled records waiting to be replayed into the database");
        meter.CreateObservableCounter("safestream.storage.shadow.mismatches", () => status.Current.ShadowMismatches, "{read}", "DualWrite shadow reads whose answer differed from the files");
        meter.CreateObservableCounter("safestream.storage.shadow.reads", () => status.Current.ShadowReads, "{read}", "DualWrite shadow reads compared");
        meter.CreateObservableCounter("safestream.storage.dual_write.errors", () => status.Current.DualWriteErrors, "{write}", "DualWrite database writes that failed");
        meter.CreateObservableCounter("safestream.storage.replayed", () => status.Current.ReplayedRecords, "{record}", "Journalled records replayed into the database");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static int BreakerState(string breaker) => breaker switch
    {
        "Closed" => 0,
        "HalfOpen" => 1,
        "Open" => 2,
        _ => 3,
    };
}
