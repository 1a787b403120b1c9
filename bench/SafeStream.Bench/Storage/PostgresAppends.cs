using Microsoft.Extensions.Logging.Abstractions;
using SafeStream.Bench.Postgres;
using SafeStream.Storage;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Modes;

namespace SafeStream.Bench.Storage;

/// <summary>
/// The storage benchmark on PostgreSQL: appends per second through the router in DatabaseFirst with 1, 8 and 64
/// writers, each against a raw binary COPY of the same rows into the same table (and a commit per row), measured in
/// the same run, interleaved, each in a database of its own. The outage measurements stay SQLite's: they take the
/// database away by moving its file or holding its write lock. --writers 64 measures only that many writers (default 1,8,64).
/// </summary>
internal static class PostgresAppends
{
    /// <summary>Target (issue 11): 64 writers at half the COPY rate or more.</summary>
    private const double Target = 0.5;

    /// <summary>Rows for the commit-per-row reference: a few seconds' worth is enough for its rate.</summary>
    private const int PerRowRows = 20_000;

    public static async Task RunAsync(BenchFolder root, string? connection, int events, int repeats, int[] writerCounts, CancellationToken cancellationToken)
    {
        await using var postgres = await BenchPostgres.OpenAsync(connection, cancellationToken);
        Console.WriteLine($"storage benchmark on {postgres.Describe}: {events:N0} chat events per measurement, {Environment.ProcessorCount} cores");
        Console.WriteLine();

        var copyRuns = new List<double>();
        var perRowRuns = new List<double>();
        var batchRuns = new List<double>();
        var routerRuns = writerCounts.ToDictionary(w => w, _ => new List<double>());
        long journalled = 0;
        for (var r = 0; r < repeats; r++)
        {
            var copyDb = await postgres.FreshDatabaseAsync($"bench_copy_{r}", cancellationToken);
            copyRuns.Add(await RawNpgsql.CopyRowsPerSecondAsync(copyDb, root.Sub($"copy-{r}"), StorageBenchmark.Messages(events), cancellationToken));
            var perRowDb = await postgres.FreshDatabaseAsync($"bench_per_row_{r}", cancellationToken);
            perRowRuns.Add(await RawNpgsql.CommitPerRowPerSecondAsync(perRowDb, root.Sub($"per-row-{r}"), StorageBenchmark.Messages(Math.Min(events, PerRowRows)), cancellationToken));
            var batchDb = await postgres.FreshDatabaseAsync($"bench_batches_{r}", cancellationToken);
            batchRuns.Add(await RawNpgsql.UnnestBatchesPerSecondAsync(batchDb, root.Sub($"batches-{r}"), StorageBenchmark.Messages(events), 64, cancellationToken));
            foreach (var writers in writerCounts)
            {
                var db = await postgres.FreshDatabaseAsync($"bench_writers_{writers}_{r}", cancellationToken);
                var dir = root.Sub($"writers-{writers}-{r}");
                var (rate, spilled) = await StorageBenchmark.AppendsPerSecondAsync(() => Router(dir, db), writers, StorageBenchmark.Messages(events), cancellationToken);
                routerRuns[writers].Add(rate);
                journalled += spilled;
            }
        }

        var copy = StorageBenchmark.Median(copyRuns);
        var perRow = StorageBenchmark.Median(perRowRuns);
        Console.WriteLine($"{"reference: raw NpgsqlBinaryImporter, one binary COPY of the rows",-72} {copy,12:N0} rows/s   (median of {repeats}: {string.Join(", ", copyRuns.Select(c => c.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))})");
        Console.WriteLine($"{$"reference: raw Npgsql prepared insert, a commit per row ({Math.Min(events, PerRowRows):N0} rows)",-72} {perRow,12:N0} rows/s   (median of {repeats})");
        var batches = StorageBenchmark.Median(batchRuns);
        Console.WriteLine($"{"ceiling: raw Npgsql unnest … RETURNING id, 64 rows per transaction",-72} {batches,12:N0} rows/s   (median of {repeats}; {batches / copy:P0} of COPY)");
        foreach (var writers in writerCounts)
        {
            var rate = StorageBenchmark.Median(routerRuns[writers]);
            Console.WriteLine($"{$"router DatabaseFirst, {writers} concurrent writers, one event per append",-72} {rate,12:N0} events/s {rate / copy,5:P0} of COPY, {rate / perRow,5:P0} of commit-per-row, {rate / batches,5:P0} of the 64-row ceiling");
        }

        Console.WriteLine();
        if (routerRuns.TryGetValue(64, out var target))
        {
            var ratio = StorageBenchmark.Median(target) / copy;
            Console.WriteLine($"target: 64 writers >= {Target:P0} of the COPY rate: {(ratio >= Target ? "met" : "NOT met")} ({ratio:P0}); {journalled:N0} appends spilled to the journal in all runs");
        }
    }

    private static StorageRouter Router(string dir, string connectionString)
    {
        var options = new StorageOptions
        {
            Mode = StorageMode.DatabaseFirst,
            Provider = DatabaseProvider.PostgreSQL,
            ConnectionString = connectionString,
            LegacyPath = Path.Combine(dir, "legacy"),
            BackupsPath = Path.Combine(dir, "backups"),
            Fsync = FsyncPolicy.EveryWrite,
        };
        return StorageRouter.Create(options, new EventIdGenerator(TimeProvider.System, 0), TimeProvider.System, NullLoggerFactory.Instance);
    }
}
