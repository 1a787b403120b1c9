using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SafeStream.Storage.Database;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Journal;
using SafeStream.Storage.Jsonl;

namespace SafeStream.Storage.Backups;

/// <summary>One finding of <c>check</c>.</summary>
public sealed record CheckItem(string Name, bool Ok, string Detail);

/// <summary>
/// <c>check</c> and <c>optimize</c>, safe while the service runs (except <c>optimize --vacuum</c>, which holds the storage
/// like a restore). Check: the database's integrity (SQLite <c>integrity_check</c> or <c>quick_check</c>; PostgreSQL:
/// every table read through, no invalid index, every id in range), its schema version against this build's, and each
/// journal segment's lines.
/// </summary>
public static class StorageMaintenance
{
    public static async Task<IReadOnlyList<CheckItem>> CheckAsync(StorageOptions storage, bool quick, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var items = new List<CheckItem>();
        var description = DatabaseTarget.Describe(storage);
        if (!await DatabaseTarget.ExistsAsync(storage, cancellationToken))
        {
            items.Add(new("database", false, $"{description} does not exist"));
        }
        else
        {
            await using var connection = StorageStatsReader.Open(storage);
            await connection.OpenAsync(cancellationToken);
            items.Add(storage.Provider == DatabaseProvider.PostgreSQL
                ? await PostgresIntegrityAsync(connection, cancellationToken)
                : await SqliteIntegrityAsync((SqliteConnection)connection, quick, cancellationToken));
            items.Add(await IdsAsync(connection, cancellationToken));
            items.Add(await SchemaAsync(storage, connection, cancellationToken));
        }

        items.Add(Journal(storage.ResolvedJournalPath));
        return items;
    }

    /// <summary>
    /// SQLite: <c>PRAGMA optimize</c> (statistics where they are stale), then freed pages back to the file system:
    /// in steps of 1 000 pages (<c>incremental_vacuum</c>, a short write each) on a database in incremental auto-vacuum
    /// mode; otherwise only with <paramref name="vacuum"/>, a full <c>VACUUM</c> that rewrites the file under the write
    /// lock, so the storage is held as for a restore (no server may run) and the database is switched to incremental
    /// mode on the way, for later runs. PostgreSQL: <c>VACUUM (ANALYZE)</c> of each table: dead rows' space reusable and
    /// statistics fresh, without blocking reads or writes (<c>VACUUM FULL</c> would, so it is left to the operator).
    /// </summary>
    public static async Task<IReadOnlyList<string>> OptimizeAsync(StorageOptions storage, bool vacuum, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var steps = new List<string>();
        using var hold = vacuum && storage.Provider == DatabaseProvider.Sqlite ? StorageHold.Take(storage, time) : null;
        await using var connection = StorageStatsReader.Open(storage);
        await connection.OpenAsync(cancellationToken);
        if (storage.Provider == DatabaseProvider.PostgreSQL)
        {
            foreach (var table in DatabaseFacts.Tables)
            {
                await DatabaseFacts.ExecuteAsync(connection, $"VACUUM (ANALYZE) {table}", cancellationToken);
            }

            steps.Add($"VACUUM (ANALYZE) on {string.Join(", ", DatabaseFacts.Tables)}: dead rows' space is reusable and the planner's statistics are fresh (the files do not shrink; VACUUM FULL would, under an exclusive lock).");
            return steps;
        }

        await DatabaseFacts.ExecuteAsync(connection, $"PRAGMA busy_timeout={storage.Resilience.BusyTimeoutMs}; PRAGMA optimize", cancellationToken);
        steps.Add("PRAGMA optimize: statistics refreshed where SQLite found them stale.");
        var free = await PragmaAsync(connection, "freelist_count", cancellationToken);
        var pageSize = await PragmaAsync(connection, "page_size", cancellationToken);
        var mode = await PragmaAsync(connection, "auto_vacuum", cancellationToken);
        if (free == 0)
        {
            steps.Add("No free pages: nothing to reclaim.");
        }
        else if (mode == 2)
        {
            for (var left = free; left > 0; left = await PragmaAsync(connection, "freelist_count", cancellationToken))
            {
                await DatabaseFacts.ExecuteAsync(connection, "PRAGMA incremental_vacuum(1000)", cancellationToken);
                await Task.Delay(TimeSpan.FromMilliseconds(10), time, cancellationToken); // chat's appends get the write lock between steps
            }

            steps.Add($"incremental_vacuum in steps of 1000 pages: {free * pageSize} bytes returned to the file system while the service ran.");
        }
        else if (vacuum)
        {
            await DatabaseFacts.ExecuteAsync(connection, "PRAGMA auto_vacuum=INCREMENTAL; VACUUM", cancellationToken);
            steps.Add($"VACUUM (the storage held, no server running): {free * pageSize} bytes returned; the database is in incremental auto-vacuum mode from now on, so later runs reclaim in steps while the service runs.");
        }
        else
        {
            steps.Add($"{free * pageSize} bytes are free pages, which new rows reuse. Returning them to the file system needs a full VACUUM, which holds the write lock for the whole rewrite: stop the server and run optimize --vacuum (it also switches the database to incremental auto-vacuum, so later runs reclaim in steps while the service runs).");
        }

        return steps;
    }

    private static async Task<long> PragmaAsync(DbConnection connection, string name, CancellationToken cancellationToken) =>
        Convert.ToInt64(await DatabaseFacts.ScalarAsync(connection, null, $"PRAGMA {name}", cancellationToken), CultureInfo.InvariantCulture);

    private static async Task<CheckItem> PostgresIntegrityAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var rows = await DatabaseFacts.RowsAsync(connection, null, cancellationToken); // a full read of each table: a damaged page is an error here
        var invalid = Convert.ToInt64(await DatabaseFacts.ScalarAsync(connection, null, "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE NOT i.indisvalid AND c.relname IN ('users', 'settings', 'chat_messages', 'gifts', 'admin_actions')", cancellationToken), CultureInfo.InvariantCulture);
        return new("integrity", invalid == 0, invalid == 0 ? $"every table read through ({rows.Values.Sum()} rows), every index valid" : $"{invalid} invalid indexes (an interrupted CREATE INDEX CONCURRENTLY?): REINDEX them");
    }

    private static async Task<CheckItem> SqliteIntegrityAsync(SqliteConnection connection, bool quick, CancellationToken cancellationToken)
    {
        var problem = await DatabaseFacts.SqliteProblemAsync(connection, quick, cancellationToken);
        return new("integrity", problem is null, problem ?? $"PRAGMA {(quick ? "quick_check" : "integrity_check")}: ok");
    }

    private static async Task<CheckItem> IdsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        long bad = 0;
        foreach (var table in DatabaseFacts.EventTables)
        {
            bad += Convert.ToInt64(await DatabaseFacts.ScalarAsync(connection, null, $"SELECT count(*) FROM {table} WHERE id <= 0 OR id > {EventIdGenerator.MaxId}", cancellationToken), CultureInfo.InvariantCulture);
        }

        return new("event ids", bad == 0, bad == 0 ? "every id between 1 and 2^53-1" : $"{bad} events with an id outside 1..2^53-1");
    }

    private static async Task<CheckItem> SchemaAsync(StorageOptions storage, DbConnection connection, CancellationToken cancellationToken)
    {
        var applied = await DatabaseFacts.SchemaVersionAsync(connection, null, cancellationToken);
        await using var context = SqlDialects.For(storage).CreateContext(create: false);
        var known = context.Database.GetMigrations().ToList();
        return applied switch
        {
            null => new("schema", false, "no migrations applied: not a SafeStream database yet"),
            _ when applied == known[^1] => new("schema", true, $"{applied} (current)"),
            _ when known.Contains(applied) => new("schema", true, $"{applied}; {known.Count - known.IndexOf(applied) - 1} newer migrations are applied at the next server start"),
            _ => new("schema", false, $"{applied} is unknown to this build (latest known {known[^1]}): a newer SafeStream wrote it"),
        };
    }

    private static CheckItem Journal(string directory)
    {
        var segments = JournalFiles.Segments(directory);
        long lines = 0, unreadable = 0;
        string? first = null;
        foreach (var segment in segments)
        {
            foreach (var line in LegacyLogReader.ReadFile(segment))
            {
                lines++;
                if (JournalFiles.Classify(line) is (JournalLineKind.Unreadable, var error))
                {
                    unreadable++;
                    first ??= $"{Path.GetFileName(segment)}: {error}";
                }
            }
        }

        var backlog = JournalFiles.Backlog(directory);
        return new("journal", unreadable == 0, segments.Count == 0
            ? "no journal segments"
            : $"{segments.Count} segments, {lines} lines, {backlog} not yet replayed" + (unreadable == 0 ? "" : $"; {unreadable} unreadable (first: {first})"));
    }
}
