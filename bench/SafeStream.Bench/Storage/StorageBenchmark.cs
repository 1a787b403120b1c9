using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using SafeStream.Storage;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Model;
using SafeStream.Storage.Modes;

namespace SafeStream.Bench.Storage;

/// <summary>
/// The storage write path against raw SQLite, measured in the same run: appends per second through the router in
/// DatabaseFirst with 1, 8 and 64 writers; append latency while the database is down and the breaker open; and
/// replay speed once it is back; and the latency an outage adds at its onset under load (see <see cref="OutageOnset"/>).
/// Options: --events N (default 200000), --fsync EveryWrite|Interval, --repeats N (default 3), --lock-seconds N (default 4),
/// --only onset (just that measurement); --provider PostgreSQL [--connection "Host=…"] [--writers 1,8,64] measures the appends on
/// PostgreSQL instead (see <see cref="PostgresAppends"/>).
/// </summary>
internal sealed class StorageBenchmark : IBenchmark
{
    public string Name => "storage";

    public string Description => "router appends vs raw SQLite inserts, outage latency, replay speed";

    public async Task RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var events = Option(args, "--events", 200_000);
        var fsync = Enum.Parse<FsyncPolicy>(OptionText(args, "--fsync") ?? nameof(FsyncPolicy.EveryWrite));
        using var root = new BenchFolder();
        if (OptionText(args, "--provider") is { } provider && !provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            Check(provider.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase), $"--provider {provider}: Sqlite or PostgreSQL");
            int[] writers = OptionText(args, "--writers") is { } list ? [.. list.Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture))] : [1, 8, 64];
            await PostgresAppends.RunAsync(root, OptionText(args, "--connection"), events, Option(args, "--repeats", 3), writers, cancellationToken);
            return;
        }

        if (OptionText(args, "--only") == "onset")
        {
            await OutageOnset.RunAsync(root.Sub("onset"), dir => Router(dir, fsync), TimeSpan.FromSeconds(Option(args, "--lock-seconds", 4)), cancellationToken);
            return;
        }

        Console.WriteLine($"storage benchmark: {events:N0} chat events per measurement, journal fsync {fsync}, {Environment.ProcessorCount} cores");
        Console.WriteLine();

        // Each figure is the median of interleaved repeats, so a burst from a neighbour does not decide a ratio.
        var repeats = Option(args, "--repeats", 3);
        int[] writerCounts = [1, 8, 64];
        var rawRuns = new List<double>();
        var rawPerRowRuns = new List<double>();
        var routerRuns = writerCounts.ToDictionary(w => w, _ => new List<double>());
        for (var r = 0; r < repeats; r++)
        {
            rawRuns.Add(await RawSqlite.InsertsPerSecondAsync(root.Sub($"raw-{r}"), Messages(events), commitEachRow: false, cancellationToken));
            rawPerRowRuns.Add(await RawSqlite.InsertsPerSecondAsync(root.Sub($"raw-per-row-{r}"), Messages(events), commitEachRow: true, cancellationToken));
            foreach (var writers in writerCounts)
            {
                var (rate, journalled) = await AppendsPerSecondAsync(() => Router(root.Sub($"writers-{writers}-{r}"), FsyncPolicy.EveryWrite), writers, Messages(events), cancellationToken);
                Check(journalled == 0, "nothing may spill while the database is healthy");
                routerRuns[writers].Add(rate);
            }
        }

        var raw = Median(rawRuns);
        var rawPerRow = Median(rawPerRowRuns);
        Console.WriteLine($"{$"reference: raw Microsoft.Data.Sqlite, prepared inserts, one transaction",-72} {raw,12:N0} rows/s   (median of {repeats})");
        Console.WriteLine($"{$"reference: raw Microsoft.Data.Sqlite, prepared inserts, a commit per row",-72} {rawPerRow,12:N0} rows/s   (median of {repeats})");
        foreach (var writers in writerCounts)
        {
            var rate = Median(routerRuns[writers]);
            Console.WriteLine($"{$"router DatabaseFirst, {writers} concurrent writers, one event per append",-72} {rate,12:N0} events/s {rate / raw,5:P0} of raw, {rate / rawPerRow,5:P0} of commit-per-row");
        }

        Console.WriteLine();
        await OutageAsync(root.Sub("outage"), fsync, Messages(Math.Min(events, 100_000)), cancellationToken);
        Console.WriteLine();
        await OutageOnset.RunAsync(root.Sub("onset"), dir => Router(dir, fsync), TimeSpan.FromSeconds(Option(args, "--lock-seconds", 4)), cancellationToken);
    }

    /// <summary>Appends per second through a new router, and how many of them spilled to the journal.</summary>
    internal static async Task<(double Rate, long Journalled)> AppendsPerSecondAsync(Func<StorageRouter> create, int writers, List<ChatMessage> messages, CancellationToken cancellationToken)
    {
        await using var router = create();
        await router.Replayer.WarmUpAsync(cancellationToken);
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(
            async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < messages.Count)
                {
                    await router.AppendAsync([messages[i]], cancellationToken);
                }
            },
            cancellationToken)));
        return (messages.Count / clock.Elapsed.TotalSeconds, router.Current.JournalBacklog);
    }

    private static async Task OutageAsync(string dir, FsyncPolicy fsync, List<ChatMessage> messages, CancellationToken cancellationToken)
    {
        var router = Router(dir, fsync);
        await router.Replayer.WarmUpAsync(cancellationToken);
        var db = Path.Combine(dir, "safestream.db");
        File.Move(db, db + ".away");
        var latencies = new double[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await router.AppendAsync([messages[i]], cancellationToken);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Check(router.Current.Breaker == "Open", "the breaker should be open during the outage");
        var steady = latencies.Skip(100).Order().ToArray(); // the first appends are the ones that open the breaker
        Console.WriteLine($"outage, breaker open, journal fsync {fsync}: {steady.Length:N0} sequential appends, " +
            $"p50 {Percentile(steady, 0.50):F3} ms, p99 {Percentile(steady, 0.99):F3} ms, max {steady[^1]:F3} ms (target p99 < 1 ms)");
        Console.WriteLine($"  the appends that opened the breaker took {latencies.Take(100).Max():F1} ms at most (the database timeout bounds them)");

        File.Move(db + ".away", db);
        await router.DisposeAsync();
        await using var restarted = Router(dir, fsync);
        var backlog = restarted.Current.JournalBacklog;
        await restarted.Replayer.WarmUpAsync(cancellationToken); // the service does this at start, before it replays
        var clock = Stopwatch.StartNew();
        await restarted.ReplayAsync(cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        Check(restarted.Current.JournalBacklog == 0, "the journal should be empty after the replay");
        using var check = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        check.Open();
        using var count = check.CreateCommand();
        count.CommandText = "SELECT COUNT(*), COUNT(DISTINCT id) FROM chat_messages";
        using var reader = count.ExecuteReader();
        reader.Read();
        Console.WriteLine($"replay after recovery: {backlog:N0} journalled events in {seconds:F2} s = {backlog / seconds:N0} events/s (target >= 100 000); " +
            $"database holds {reader.GetInt64(0):N0} rows, {reader.GetInt64(1):N0} distinct ids");
    }

    private static StorageRouter Router(string dir, FsyncPolicy fsync)
    {
        var options = new StorageOptions
        {
            Mode = StorageMode.DatabaseFirst,
            ConnectionString = $"Data Source={Path.Combine(dir, "safestream.db")}",
            LegacyPath = Path.Combine(dir, "legacy"),
            Fsync = fsync,
            ReplayBatchSize = 20_000,
        };
        return StorageRouter.Create(options, new EventIdGenerator(TimeProvider.System, 0), TimeProvider.System, NullLoggerFactory.Instance);
    }

    internal static List<ChatMessage> Messages(int count)
    {
        var ids = new EventIdGenerator(TimeProvider.System, 1);
        var now = DateTimeOffset.UtcNow;
        return [.. Enumerable.Range(0, count).Select(i => new ChatMessage(
            ids.Next(), $"viewer{i % 500}", $"message {i} from the benchmark, a typical short chat line", i % 17 == 0, (i % 100) / 100.0, false, now.AddTicks(i * 10)))];
    }

    internal static double Median(List<double> runs) => runs.Order().ElementAt(runs.Count / 2);

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }

    private static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
