using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SafeStream.Storage.Database;
using SafeStream.Storage.Database.Copy;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Backups;

/// <summary>
/// A consistent copy of the live database into a new SQLite file, written while chat goes on.
/// SQLite: <c>VACUUM INTO</c>, one read transaction on the source; in WAL mode a reader never blocks the writer, so
/// commits go on through the whole copy (the benchmark <c>lifecycle</c> measures the append latency it costs).
/// PostgreSQL: one <c>REPEATABLE READ</c> read-only transaction, read through <c>copy-database</c>'s code into a SQLite
/// file made by the SQLite migrations; readers never block writers there either.
/// </summary>
internal static class Snapshot
{
    public static async Task WriteAsync(StorageOptions storage, string path, TimeProvider time, CancellationToken cancellationToken)
    {
        if (storage.Provider == DatabaseProvider.PostgreSQL)
        {
            await FromPostgresAsync(storage, path, time, cancellationToken);
        }
        else
        {
            await FromSqliteAsync(storage, path, cancellationToken);
        }

        // One self-contained file: no WAL beside it, whatever mode the copy was made in.
        await using var copy = DatabaseFacts.OpenSqliteFile(path);
        await DatabaseFacts.ExecuteAsync(copy, "PRAGMA journal_mode=DELETE", cancellationToken);
    }

    /// <summary>Every row of <paramref name="copy"/>'s source that its target lacks: accounts, settings, then each kind of event.</summary>
    public static async Task<long> CopyAllAsync(DatabaseCopy copy, CancellationToken cancellationToken)
    {
        long rows = (await copy.CopyUsersAsync(cancellationToken)).Copied + (await copy.CopySettingsAsync(cancellationToken)).Copied;
        foreach (var kind in Enum.GetValues<EventKind>())
        {
            rows += (await copy.CopyEventsAsync(kind, 5000, cancellationToken: cancellationToken)).Copied;
        }

        return rows;
    }

    private static async Task FromSqliteAsync(StorageOptions storage, string path, CancellationToken cancellationToken)
    {
        var source = new SqliteConnectionStringBuilder(storage.ConnectionString) { Mode = SqliteOpenMode.ReadWrite, Pooling = false };
        if (!File.Exists(source.DataSource))
        {
            throw new DatabaseMissingException($"There is no database at {Path.GetFullPath(source.DataSource)} to back up.");
        }

        await using var connection = new SqliteConnection(source.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await DatabaseFacts.ExecuteAsync(connection, $"PRAGMA busy_timeout={storage.Resilience.BusyTimeoutMs}", cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "VACUUM INTO $path";
        command.CommandTimeout = 0;
        command.Parameters.AddWithValue("$path", Path.GetFullPath(path));
        await command.ExecuteNonQueryAsync(cancellationToken); // Microsoft.Data.Sqlite interrupts the statement when cancelled
    }

    private static async Task FromPostgresAsync(StorageOptions storage, string path, TimeProvider time, CancellationToken cancellationToken)
    {
        var dialect = new PostgresDialect(storage.ConnectionString, storage.Resilience.TimeoutMs);
        var builder = new NpgsqlConnectionStringBuilder(dialect.ConnectionString) { Pooling = false, ApplicationName = "safestream-backup", CommandTimeout = 0 };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, snapshot))
        {
            await readOnly.ExecuteNonQueryAsync(cancellationToken);
        }

        var options = new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(connection, o => o.SetPostgresVersion(15, 0)).Options;
        Task<SafeStreamDbContext> Context(CancellationToken ct)
        {
            SafeStreamDbContext context = new PostgresDbContext(options);
            context.Database.UseTransaction(snapshot);
            return Task.FromResult(context);
        }

        var target = new StorageOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={path}" };
        await using (var copy = MigrationDatabase.Open(target, time, NullLoggerFactory.Instance, DatabaseCreation.Always))
        {
            await copy.EnsureReadyAsync(cancellationToken);
            await CopyAllAsync(new DatabaseCopy(Context, copy), cancellationToken);
        }

        SqliteConnection.ClearAllPools(); // the copy's pooled connections hold the file open
        await snapshot.CommitAsync(cancellationToken);
    }
}
