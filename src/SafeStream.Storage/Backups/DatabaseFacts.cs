using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SafeStream.Storage.Backups;

/// <summary>
/// Plain SQL that reads the same on SQLite and PostgreSQL: rows per table, the time span and largest id of each kind
/// of event, the schema version. Each reads one open connection, so it sees that connection's snapshot.
/// </summary>
internal static class DatabaseFacts
{
    /// <summary>Every table a backup carries, in the order a restore fills them.</summary>
    public static readonly IReadOnlyList<string> Tables = ["users", "settings", "chat_messages", "gifts", "admin_actions"];

    public static readonly IReadOnlyList<string> EventTables = ["chat_messages", "gifts", "admin_actions"];

    public static async Task<Dictionary<string, long>> RowsAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in Tables)
        {
            rows[table] = Convert.ToInt64(await ScalarAsync(connection, transaction, $"SELECT count(*) FROM {table}", cancellationToken), CultureInfo.InvariantCulture);
        }

        return rows;
    }

    public static async Task<long> HighestEventIdAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        long highest = 0;
        foreach (var table in EventTables)
        {
            if (await ScalarAsync(connection, transaction, $"SELECT max(id) FROM {table}", cancellationToken) is { } value and not DBNull)
            {
                highest = Math.Max(highest, Convert.ToInt64(value, CultureInfo.InvariantCulture));
            }
        }

        return highest;
    }

    /// <summary>Rows, oldest and newest time (Unix microseconds) of one event table.</summary>
    public static async Task<(long Rows, long? Oldest, long? Newest)> SpanAsync(DbConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*), min(ts), max(ts) FROM {table}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), Nullable(reader, 1), Nullable(reader, 2));
    }

    public static async Task<string?> SchemaVersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        try
        {
            return await ScalarAsync(connection, transaction, "SELECT max(\"MigrationId\") FROM \"__EFMigrationsHistory\"", cancellationToken) as string;
        }
        catch (DbException) when (transaction is null)
        {
            return null; // no history table: the migrations never ran here
        }
    }

    /// <summary>A SQLite file opened on its own (no pool), never created: a backup, or a copy being made.</summary>
    public static SqliteConnection OpenSqliteFile(string path, bool readOnly = false)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary><c>PRAGMA integrity_check</c> (or <c>quick_check</c>): null when the file is sound, else what SQLite found.</summary>
    public static async Task<string?> SqliteProblemAsync(SqliteConnection connection, bool quick, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = quick ? "PRAGMA quick_check(20)" : "PRAGMA integrity_check(20)";
            var lines = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                lines.Add(reader.GetString(0));
            }

            return lines is ["ok"] ? null : string.Join("; ", lines);
        }
        catch (SqliteException ex)
        {
            return ex.Message; // "file is not a database", "database disk image is malformed"
        }
    }

    public static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    public static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static long? Nullable(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
}
