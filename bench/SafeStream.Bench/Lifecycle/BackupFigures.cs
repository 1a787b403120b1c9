using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using SafeStream.Bench.Postgres;
using SafeStream.Bench.Storage;
using SafeStream.Storage;
using SafeStream.Storage.Backups;

namespace SafeStream.Bench.Lifecycle;

/// <summary>
/// Backup figures, each with its reference from the same run: a checked backup (copy, integrity_check, SHA-256,
/// manifest) in seconds and MB/s of the file written, next to <c>sqlite3 .backup</c> of the same database on SQLite and a
/// raw binary <c>COPY … TO</c> of the same tables on PostgreSQL; then the group-commit writer's append latency under a
/// steady chat load while a backup runs, next to the same load without one.
/// </summary>
internal static class BackupFigures
{
    public static async Task SqliteAsync(int[] sizes, CancellationToken cancellationToken)
    {
        using var folder = new BenchFolder();
        Console.WriteLine("lifecycle: backup on SQLite (VACUUM INTO, then integrity_check and SHA-256 of the copy)");
        string? latencyDatabase = null;
        foreach (var size in sizes)
        {
            var path = Path.Combine(folder.Sub($"sqlite-{size}"), "safestream.db");
            var options = new StorageOptions { ConnectionString = $"Data Source={path}", BackupsPath = folder.Sub($"backups-{size}") };
            await LifecycleData.FillSqliteAsync(options, size, cancellationToken);
            var taken = await TimedBackupAsync(options, cancellationToken);
            var reference = await Sqlite3BackupAsync(path, Path.Combine(folder.Path, $"reference-{size}.db"), cancellationToken);
            Print(size, taken, reference, "sqlite3 .backup (no check)");
            latencyDatabase ??= path;
        }

        if (latencyDatabase is not null)
        {
            var options = new StorageOptions { ConnectionString = $"Data Source={latencyDatabase}", BackupsPath = folder.Sub("backups-latency") };
            await AppendLatency.DuringBackupAsync(options, sizes[0], cancellationToken);
        }
    }

    public static async Task PostgresAsync(int[] sizes, string? connection, CancellationToken cancellationToken)
    {
        await using var server = await BenchPostgres.OpenAsync(connection, cancellationToken);
        using var folder = new BenchFolder();
        Console.WriteLine($"lifecycle: backup on PostgreSQL ({server.Describe}; one REPEATABLE READ snapshot into a SQLite file, checked)");
        StorageOptions? latency = null;
        foreach (var size in sizes)
        {
            var options = new StorageOptions
            {
                Provider = DatabaseProvider.PostgreSQL,
                ConnectionString = await server.FreshDatabaseAsync($"bench_lifecycle_{size}", cancellationToken),
                BackupsPath = folder.Sub($"pg-backups-{size}"),
            };
            await LifecycleData.FillPostgresAsync(options, size, cancellationToken);
            var taken = await TimedBackupAsync(options, cancellationToken);
            var reference = await RawCopyToAsync(options.ConnectionString, Path.Combine(folder.Path, $"copy-{size}.bin"), cancellationToken);
            Print(size, taken, reference, "raw COPY … TO (binary) of the same tables");
            latency ??= options;
        }

        if (latency is not null)
        {
            await AppendLatency.DuringBackupAsync(latency, sizes[0], cancellationToken);
        }
    }

    private static async Task<(double Seconds, long Bytes)> TimedBackupAsync(StorageOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var taken = await new BackupWriter(options, options.BackupsPath, TimeProvider.System).TakeAsync("bench", cancellationToken);
        return (clock.Elapsed.TotalSeconds, taken.Manifest.Bytes);
    }

    private static void Print(int size, (double Seconds, long Bytes) taken, (double Seconds, long Bytes) reference, string what)
    {
        static double Mbs((double Seconds, long Bytes) r) => r.Bytes / 1048576.0 / r.Seconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {size,10:N0} events  backup {taken.Seconds,7:0.00} s {Mbs(taken),7:0.0} MB/s ({taken.Bytes / 1048576.0:0.0} MB)   reference {what}: {reference.Seconds,7:0.00} s {Mbs(reference),7:0.0} MB/s ({reference.Bytes / 1048576.0:0.0} MB)   time ratio {taken.Seconds / reference.Seconds:0.00}×"));
    }

    private static async Task<(double, long)> Sqlite3BackupAsync(string database, string target, CancellationToken cancellationToken)
    {
        SqliteConnection.ClearAllPools();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo("sqlite3", [database, $".backup '{target}'"]) { RedirectStandardError = true })
            ?? throw new InvalidOperationException("sqlite3 did not start (apt-get install sqlite3)");
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"sqlite3 .backup failed: {await process.StandardError.ReadToEndAsync(cancellationToken)}");
        }

        return (clock.Elapsed.TotalSeconds, new FileInfo(target).Length);
    }

    private static async Task<(double, long)> RawCopyToAsync(string connectionString, string target, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        await using var file = File.Create(target);
        foreach (var table in new[] { "users", "settings", "chat_messages", "gifts", "admin_actions" })
        {
            await using var copy = await connection.BeginRawBinaryCopyAsync($"COPY {table} TO STDOUT (FORMAT BINARY)", cancellationToken);
            await copy.CopyToAsync(file, cancellationToken);
        }

        await file.FlushAsync(cancellationToken);
        file.Flush(flushToDisk: true);
        return (clock.Elapsed.TotalSeconds, file.Length);
    }
}
