using System.Diagnostics.Metrics;
using SafeStream.Server.Chat;
using SafeStream.Storage;
using SafeStream.Storage.Resilient;

namespace SafeStream.Server.Telemetry;

/// <summary>
/// Gauges read when scraped (open sockets, viewers, breaker, journal backlog, DualWrite counters) and the replayed
/// records, counted as the replayer reports its batches. A hosted service only so that it exists from the start.
/// </summary>
internal sealed class ObservedGauges : IHostedService, IDisposable
{
    private readonly Counter<long> _replayed;
    private readonly StorageRouter _router;

    public ObservedGauges(ServerMetrics metrics, ChatHub hub, IStorageStatus status, StorageRouter router)
    {
        var meter = metrics.Meter;
        _router = router;
        meter.CreateObservableGauge("safestream.chat.sockets.open", () => hub.ConnectionCount, "{socket}", "Open chat WebSockets on this instance");
        meter.CreateObservableGauge("safestream.chat.viewers", () => hub.ViewerCount, "{user}", "Users with at least one open socket on this instance");
        meter.CreateObservableGauge("safestream.storage.breaker.state", () => BreakerState(status.Current.Breaker), "{state}", "Database circuit breaker: 0 closed, 1 half-open, 2 open, 3 isolated");
        meter.CreateObservableGauge("safestream.storage.journal.backlog", () => status.Current.JournalBacklog, "{record}", "Journalled records waiting to be replayed into the database");
        meter.CreateObservableCounter("safestream.storage.shadow.mismatches", () => status.Current.ShadowMismatches, "{read}", "DualWrite shadow reads whose answer differed from the files");
        meter.CreateObservableCounter("safestream.storage.shadow.reads", () => status.Current.ShadowReads, "{read}", "DualWrite shadow reads compared");
        meter.CreateObservableCounter("safestream.storage.dual_write.errors", () => status.Current.DualWriteErrors, "{write}", "DualWrite database writes that failed");
        _replayed = meter.CreateCounter<long>("safestream.storage.replayed", "{record}", "Journalled records replayed into the database");
        _replayed.Add(0);
        router.Replayer.BatchReplayed += Replayed;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _router.Replayer.BatchReplayed -= Replayed;

    private static int BreakerState(string breaker) => breaker switch
    {
        "Closed" => 0,
        "HalfOpen" => 1,
        "Open" => 2,
        _ => 3,
    };

    private void Replayed(int count) => _replayed.Add(count);
}
