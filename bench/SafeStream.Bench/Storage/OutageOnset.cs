using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SafeStream.Storage;
using SafeStream.Storage.Model;
using SafeStream.Storage.Modes;

namespace SafeStream.Bench.Storage;

/// <summary>
/// The onset of an outage under load: 64 writers append in DatabaseFirst while another connection holds the
/// database's write lock for a few seconds in the middle of the run. Every append's latency is kept; what the
/// lock adds is each latency less the median of the appends before it (the same run's reference). Afterwards every
/// acknowledged event must be in the database exactly once.
/// </summary>
internal static class OutageOnset
{
    private const int Writers = 64;

    public static async Task RunAsync(string dir, Func<string, StorageRouter> router, TimeSpan lockFor, CancellationToken cancellationToken)
    {
        var storage = router(dir);
        await storage.Replayer.WarmUpAsync(cancellationToken);
        var ids = new SafeStream.Storage.EventIds.EventIdGenerator(TimeProvider.System, 1);
        var samples = Enumerable.Range(0, Writers).Select(_ => new List<(long Start, double Ms)>()).ToArray();
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(
            async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var message = new ChatMessage(ids.Next(), $"viewer{w}", $"message {i} from writer {w}, a typical short chat line", false, 0.1, false, DateTimeOffset.UtcNow);
                    var start = clock.ElapsedTicks;
                    await storage.AppendAsync([message], cancellationToken);
                    samples[w].Add((start, (clock.ElapsedTicks - start) * 1000.0 / Stopwatch.Frequency));

                    // A chat client waits for the network between messages; a writer that never yields would
                    // keep the pool's threads from the timers the run itself depends on.
                    await Task.Yield();
                }
            },
            cancellationToken)).ToList();

        // The run: a quiet stretch, the lock, a quiet stretch; the writers go on throughout.
        var settle = TimeSpan.FromSeconds(1.5);
        await Task.Delay(settle, cancellationToken);
        long lockedFrom, lockedUntil;
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(dir, "safestream.db")};Pooling=False"))
        {
            connection.Open();
            using var begin = connection.CreateCommand();
            begin.CommandText = "BEGIN EXCLUSIVE; INSERT INTO settings (key, value) VALUES ('benchmark', 'holds the lock');";
            begin.ExecuteNonQuery();
            lockedFrom = clock.ElapsedTicks;
            await Task.Delay(lockFor, cancellationToken);
            lockedUntil = clock.ElapsedTicks;
        }

        await Task.Delay(settle, cancellationToken);
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        var journalled = storage.Current.JournalBacklog;

        var all = samples.SelectMany(s => s).ToList();
        var baseline = Median([.. all.Where(s => s.Start < lockedFrom && s.Start > Stopwatch.Frequency / 2).Select(s => s.Ms)]);
        var added = all.Select(s => Math.Max(0, s.Ms - baseline)).Order().ToArray();
        var during = all.Where(s => s.Start >= lockedFrom && s.Start < lockedUntil).Select(s => Math.Max(0, s.Ms - baseline)).Order().ToArray();
        Console.WriteLine($"outage onset: {Writers} writers append for {clock.Elapsed.TotalSeconds:F1} s while another connection holds the database's lock for {lockFor.TotalSeconds:0.#} s in the middle");
        Console.WriteLine($"  reference: median append latency before the lock {baseline:F2} ms (same run)");
        Console.WriteLine($"  added latency of all {added.Length:N0} acknowledged appends: p99 {Percentile(added, 0.99):F2} ms, max {added[^1]:F1} ms (targets: p99 <= 100 ms, max <= 250 ms)");
        Console.WriteLine($"  of the {during.Length:N0} started while the lock was held: p50 {Percentile(during, 0.50):F2} ms, p99 {Percentile(during, 0.99):F2} ms, max {during.DefaultIfEmpty(0).Last():F1} ms; {journalled:N0} records journalled");
        Console.WriteLine($"  the garbage collector paused the process for {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms in all ({GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} gen0/1/2 collections; {GC.GetTotalAllocatedBytes() / 1048576.0:F0} MiB allocated, {GC.GetTotalAllocatedBytes() / Math.Max(1, all.Count) / 1024.0:F1} KiB per append)");

        await storage.DisposeAsync();
        await using var restarted = router(dir);
        await restarted.ReplayAsync(cancellationToken);
        using var check = new SqliteConnection($"Data Source={Path.Combine(dir, "safestream.db")};Mode=ReadOnly;Pooling=False");
        check.Open();
        using var count = check.CreateCommand();
        count.CommandText = "SELECT COUNT(*), COUNT(DISTINCT id) FROM chat_messages";
        using var reader = count.ExecuteReader();
        reader.Read();
        Console.WriteLine($"  after the replay the database holds {reader.GetInt64(0):N0} rows, {reader.GetInt64(1):N0} distinct ids, of {all.Count:N0} acknowledged (journal backlog {restarted.Current.JournalBacklog})");
        if (reader.GetInt64(0) != all.Count || reader.GetInt64(1) != all.Count)
        {
            throw new InvalidOperationException("an acknowledged append is missing from the database, or stored twice");
        }
    }

    private static double Median(double[] values) => values.Length == 0 ? 0 : values.Order().ElementAt(values.Length / 2);

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
