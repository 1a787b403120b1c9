using SafeStream.Bench.Load;

namespace SafeStream.Bench.Lifecycle;

/// <summary>
/// The data lifecycle: backups (<see cref="BackupFigures"/>) next to <c>sqlite3 .backup</c> and a raw <c>COPY … TO</c>,
/// and chat append latency during a backup next to the same load without it.
/// Options: <c>--events 1000000,5000000</c>, <c>--postgres-events</c> (default: the same), <c>--connection</c> (a PostgreSQL
/// server; else a throwaway cluster), <c>--no-postgres</c>.
/// </summary>
public sealed class LifecycleBenchmark : IBenchmark
{
    public string Name => "lifecycle";

    public string Description => "backup of 1M/5M-event databases vs sqlite3 .backup and raw COPY TO; append p99 during a backup";

    public async Task RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var events = BenchArgs.Ints(args, "--events", [1_000_000, 5_000_000]);
        await BackupFigures.SqliteAsync(events, cancellationToken);
        if (!args.Contains("--no-postgres"))
        {
            await BackupFigures.PostgresAsync(BenchArgs.Ints(args, "--postgres-events", events), BenchArgs.Text(args, "--connection"), cancellationToken);
        }
    }
}
