using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SafeStream.Storage;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Model;
using SafeStream.Storage.Modes;
using SafeStream.Storage.Retention;

namespace SafeStream.Bench.Lifecycle;

/// <summary>A SQLite database in DatabaseFirst behind the real router, filled with chat of which half is 40 days old, and the real <see cref="Pruner"/> over it.</summary>
internal sealed class RetentionDatabase : IAsyncDisposable
{
    private readonly StorageOptions _options;

    private RetentionDatabase(string dir, StorageOptions options, StorageRouter router)
    {
        Path = System.IO.Path.Combine(dir, "safestream.db");
        _options = options;
        Router = router;
    }

    public string Path { get; }

    public StorageRouter Router { get; }

    /// <summary>The horizon of a 30-day run, in microseconds since the epoch.</summary>
    public long Horizon { get; } = Micros.ToUnix(DateTimeOffset.UtcNow.AddDays(-30));

    public static async Task<RetentionDatabase> BuildAsync(string dir, int events, CancellationToken cancellationToken)
    {
        var options = new StorageOptions
        {
            Mode = StorageMode.DatabaseFirst,
            ConnectionString = $"Data Source={System.IO.Path.Combine(dir, "safestream.db")}",
            LegacyPath = System.IO.Path.Combine(dir, "legacy"),
            ReplayBatchSize = 20_000,
        };
        var router = StorageRouter.Create(options, new EventIdGenerator(TimeProvider.System, 0), TimeProvider.System, NullLoggerFactory.Instance);
        await router.Replayer.WarmUpAsync(cancellationToken);
        var ids = new EventIdGenerator(TimeProvider.System, 2);
        var now = DateTimeOffset.UtcNow;
        const int Batch = 50_000;
        for (var start = 0; start < events; start += Batch)
        {
            var batch = Enumerable.Range(start, Math.Min(Batch, events - start))
                .Select(i => (StorageEvent)new ChatMessage(ids.Next(), $"viewer{i % 500}", $"message {i}, a typical short chat line", false, 0.01, false, (i % 2 == 0 ? now.AddDays(-40) : now.AddDays(-1)).AddTicks(i * 10)))
                .ToList();
            await router.Db.ExecuteAsync(new AppendEvents(batch), cancellationToken);
        }

        return new RetentionDatabase(dir, options, router);
    }

    /// <summary>One real retention run with <paramref name="retention"/>: rows deleted and seconds.</summary>
    public async Task<(long Deleted, double Seconds)> PruneAsync(RetentionOptions retention, CancellationToken cancellationToken)
    {
        var pruner = new Pruner(Router, _options, new Fixed(retention), new EventIdGenerator(TimeProvider.System, 3), TimeProvider.System, NullLogger<Pruner>.Instance);
        var clock = Stopwatch.StartNew();
        var report = await pruner.RunAsync(dryRun: false, cancellationToken);
        return (report.Kinds.Sum(k => k.Database), clock.Elapsed.TotalSeconds);
    }

    public ValueTask DisposeAsync() => Router.DisposeAsync();

    private sealed class Fixed(RetentionOptions value) : IOptionsMonitor<RetentionOptions>
    {
        public RetentionOptions CurrentValue => value;

        public RetentionOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<RetentionOptions, string?> listener) => null;
    }
}
