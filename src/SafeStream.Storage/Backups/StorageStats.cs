using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using SafeStream.Storage.Database;
using SafeStream.Storage.Journal;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Backups;

public sealed record KindStats(string Table, long Rows, DateTimeOffset? Oldest, DateTimeOffset? Newest);

public sealed record BackupSummary(string File, DateTimeOffset FinishedAt, double AgeSeconds, long Bytes, long HighestEventId);

public sealed record RetentionRun(DateTimeOffset At, string? Details);

/// <summary>What <c>stats</c>, the dashboard's storage panel and the Prometheus gauges show of the data.</summary>
/// <param name="ReclaimableBytes">Space the database holds but no row uses (SQLite: free pages; PostgreSQL: an estimate from dead rows).</param>
public sealed record StorageStats(
    string Provider,
    string Database,
    string? SchemaVersion,
    long Users,
    long Settings,
    IReadOnlyList<KindStats> Events,
    long DatabaseBytes,
    long ReclaimableBytes,
    BackupSummary? LastBackup,
    RetentionRun? LastRetention,
    long JournalBacklog,
    DateTimeOffset At);

/// <summary>Reads <see cref="StorageStats"/> with plain SQL on its own connection; safe while the service runs.</summary>
public static class StorageStatsReader
{
    /// <summary>The admin user the retention run records itself as.</summary>
    public const string RetentionAdmin = "system:retention";

    public static async Task<StorageStats> ReadAsync(StorageOptions storage, string backupsFolder, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        await using var connection = Open(storage);
        await connection.OpenAsync(cancellationToken);
        var rows = await DatabaseFacts.RowsAsync(connection, null, cancellationToken);
        var events = new List<KindStats>();
        foreach (var table in DatabaseFacts.EventTables)
        {
            var (count, oldest, newest) = await DatabaseFacts.SpanAsync(connection, table, cancellationToken);
            events.Add(new KindStats(table, count, oldest is { } o ? Micros.FromUnix(o) : null, newest is { } n ? Micros.FromUnix(n) : null));
        }

        var (bytes, reclaimable) = storage.Provider == DatabaseProvider.PostgreSQL
            ? await PostgresSizeAsync(connection, cancellationToken)
            : await SqliteSizeAsync(connection, cancellationToken);
        var latest = BackupFolder.Latest(backupsFolder);
        return new StorageStats(
            storage.Provider.ToString(),
            DatabaseTarget.Describe(storage),
            await DatabaseFacts.SchemaVersionAsync(connection, null, cancellationToken),
            rows["users"],
            rows["settings"],
            events,
            bytes,
            reclaimable,
            latest is null ? null : Summary(latest, now),
            await LastRetentionAsync(connection, cancellationToken),
            JournalFiles.Backlog(storage.ResolvedJournalPath),
            now);
    }

    public static BackupSummary Summary(BackupEntry entry, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.File, entry.Manifest.FinishedAt, Math.Max(0, (now - entry.Manifest.FinishedAt).TotalSeconds), entry.Manifest.Bytes, entry.Manifest.HighestEventId);
    }

    internal static DbConnection Open(StorageOptions storage) => storage.Provider == DatabaseProvider.PostgreSQL
        ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(new PostgresDialect(storage.ConnectionString, storage.Resilience.TimeoutMs).ConnectionString) { Pooling = false, ApplicationName = "safestream-stats" }.ConnectionString)
        : new SqliteConnection(new SqliteConnectionStringBuilder(storage.ConnectionString) { Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 5 }.ConnectionString);

    private static async Task<RetentionRun?> LastRetentionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT ts, details FROM admin_actions WHERE admin_user = '{RetentionAdmin}' ORDER BY ts DESC LIMIT 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new RetentionRun(Micros.FromUnix(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture)), reader.IsDBNull(1) ? null : reader.GetString(1))
            : null;
    }

    private static async Task<(long, long)> SqliteSizeAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var pageSize = Convert.ToInt64(await DatabaseFacts.ScalarAsync(connection, null, "PRAGMA page_size", cancellationToken), CultureInfo.InvariantCulture);
        var pages = Convert.ToInt64(await DatabaseFacts.ScalarAsync(connection, null, "PRAGMA page_count", cancellationToken), CultureInfo.InvariantCulture);
        var free = Convert.ToInt64(await DatabaseFacts.ScalarAsync(connection, null, "PRAGMA freelist_count", cancellationToken), CultureInfo.InvariantCulture);
        var wal = ((SqliteConnection)connection).DataSource + "-wal";
        return ((pages * pageSize) + (File.Exists(wal) ? new FileInfo(wal).Length : 0), free * pageSize);
    }

    private static async Task<(long, long)> PostgresSizeAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var size = Convert.ToInt64(await DatabaseFacts.ScalarAsync(connection, null, "SELECT pg_database_size(current_database())", cancellationToken), CultureInfo.InvariantCulture);
        var dead = await DatabaseFacts.ScalarAsync(
            connection,
            null,
            "SELECT coalesce(sum(pg_total_relation_size(relid) * n_dead_tup / nullif(n_live_tup + n_dead_tup, 0)), 0)::bigint FROM pg_stat_user_tables " +
            "WHERE relname IN ('users', 'settings', 'chat_messages', 'gifts', 'admin_actions')",
            cancellationToken);
        return (size, Convert.ToInt64(dead, CultureInfo.InvariantCulture));
    }
}
