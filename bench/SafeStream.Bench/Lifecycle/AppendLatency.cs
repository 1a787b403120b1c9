using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using SafeStream.Bench.Load;
using SafeStream.Storage;
using SafeStream.Storage.Backups;
using SafeStream.Storage.Database;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Model;

namespace SafeStream.Bench.Lifecycle;

/// <summary>
/// Chat appends through the service's group-commit writer (8 writers, each sending its next message 5 ms after the
/// last was acknowledged) while a backup of the same database runs, then the same load for as long without one.
/// Target (DESIGN.md): p99 during ≤ 1.5× p99 without, and no append slower than <c>AppendBudgetMs</c>.
/// </summary>
internal static class AppendLatency
{
    private const int Writers = 8;
    private static long _over;
    private static long _budgetMicros = long.MaxValue;

    public static async Task DuringBackupAsync(StorageOptions options, int events, CancellationToken cancellationToken)
    {
        await using var store = DbStore.Open(options, TimeProvider.System, NullLogger<DbStore>.Instance);
        await store.EnsureReadyAsync(cancellationToken);
        var ids = new EventIdGenerator(TimeProvider.System, 10);
        await LoadAsync(store, ids, TimeSpan.FromSeconds(2), null, cancellationToken); // warm-up
        _budgetMicros = options.Resilience.AppendBudgetMs * 1000L;
        Interlocked.Exchange(ref _over, 0);

        var clock = Stopwatch.StartNew();
        var backup = Task.Run(() => new BackupWriter(options, options.BackupsPath, TimeProvider.System).TakeAsync("bench", cancellationToken), cancellationToken); // VACUUM INTO runs synchronously
        var during = await LoadAsync(store, ids, null, backup, cancellationToken);
        var length = clock.Elapsed;
        _budgetMicros = long.MaxValue; // only the appends during the backup are counted
        var without = await LoadAsync(store, ids, length < TimeSpan.FromSeconds(3) ? TimeSpan.FromSeconds(3) : length, null, cancellationToken);

        var budget = options.Resilience.AppendBudgetMs;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  append latency, {Writers} writers, {options.Provider} database of {events:N0} events, during a {length.TotalSeconds:0.0} s backup: " +
            $"p50 {during.PercentileMilliseconds(0.5):0.00} ms, p99 {during.PercentileMilliseconds(0.99):0.00} ms, max {during.PercentileMilliseconds(1):0.0} ms, {during.Count:N0} appends, {_over} over AppendBudgetMs {budget}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  reference, the same load without a backup: p50 {without.PercentileMilliseconds(0.5):0.00} ms, p99 {without.PercentileMilliseconds(0.99):0.00} ms, max {without.PercentileMilliseconds(1):0.0} ms, {without.Count:N0} appends" +
            $"   p99 ratio {during.PercentileMilliseconds(0.99) / without.PercentileMilliseconds(0.99):0.00}× (target ≤ 1.5×)"));
    }

    /// <summary>Runs the load for <paramref name="length"/>, or until <paramref name="until"/> completes.</summary>
    private static async Task<LatencyHistogram> LoadAsync(DbStore store, EventIdGenerator ids, TimeSpan? length, Task? until, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var histograms = Enumerable.Range(0, Writers).Select(_ => new LatencyHistogram()).ToArray();
        var writers = histograms.Select((h, w) => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var message = new ChatMessage(ids.Next(), $"writer{w}", "a message while the data lifecycle runs", false, 0.02, false, DateTimeOffset.UtcNow);
                var started = Stopwatch.GetTimestamp();
                await store.AppendAsync([message], CancellationToken.None);
                var micros = (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                h.Record(micros);
                if (micros > _budgetMicros)
                {
                    Interlocked.Increment(ref _over);
                }

                await Task.Delay(5, CancellationToken.None);
            }
        })).ToArray();
        if (until is not null)
        {
            await until;
        }
        else
        {
            await Task.Delay(length!.Value, cancellationToken);
        }

        await stop.CancelAsync();
        await Task.WhenAll(writers);
        var all = new LatencyHistogram();
        foreach (var h in histograms)
        {
            all.Add(h);
        }

        return all;
    }
}
