using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SafeStream.Storage.Database;
using SafeStream.Storage.Database.Copy;
using SafeStream.Storage.EventIds;

namespace SafeStream.Storage.Backups;

/// <summary>
/// PostgreSQL: the backup's rows go in through <c>copy-database</c>'s code (binary COPY for events) into the configured
/// database when it is missing or empty. One that holds rows is restored over only with <c>--replace</c>, which renames
/// it to <c>&lt;name&gt;_before_restore_&lt;time&gt;</c> (kept; drop it yourself once the restore is proven) and makes a new one.
/// </summary>
public sealed partial class Restorer
{
    private async Task<RestoreReport> RestorePostgresAsync(string file, BackupManifest manifest, bool replace, string stamp, CancellationToken cancellationToken)
    {
        var dialect = new PostgresDialect(storage.ConnectionString, storage.Resilience.TimeoutMs);
        var builder = new NpgsqlConnectionStringBuilder(dialect.ConnectionString) { Pooling = false };
        var name = builder.Database!;
        var description = dialect.Describe();
        long replacedHighest = 0;
        string? aside = null;
        if (await dialect.ExistsAsync(cancellationToken))
        {
            long rows;
            await using (var connection = new NpgsqlConnection(builder.ConnectionString))
            {
                await connection.OpenAsync(cancellationToken);
                await StorageHold.ThrowIfPostgresHeld(connection, description, cancellationToken);
                (rows, replacedHighest) = await ContentAsync(connection, cancellationToken);
            }

            if (rows > 0)
            {
                var asideName = $"{name}_before_restore_{stamp.Replace('-', '_')}";
                if (!replace)
                {
                    throw new RestoreRefusedException(
                        $"{description} is not empty ({rows} rows). restore --replace renames it to {asideName} (kept, never dropped) and restores into a new {name}.");
                }

                await RenameAsync(builder, name, asideName, cancellationToken);
                aside = $"postgresql://{builder.Host}:{builder.Port}/{asideName}";
            }
        }

        await using var target = MigrationDatabase.Open(storage, time, NullLoggerFactory.Instance, DatabaseCreation.Always);
        await target.EnsureReadyAsync(cancellationToken);
        var backup = new DbContextOptionsBuilder<SafeStreamDbContext>()
            .UseSqlite(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString).Options;
        await Snapshot.CopyAllAsync(new DatabaseCopy(_ => Task.FromResult(new SafeStreamDbContext(backup)), target), cancellationToken);

        using var lease = InstanceLease.ForTool(storage, time);
        var ids = new EventIdGenerator(time, lease);
        ids.AdvancePast(Math.Max(replacedHighest, manifest.HighestEventId));
        var action = RestoreAction(ids.Next(), file, manifest, aside);
        await target.ExecuteAsync(new AppendEvents([action]), cancellationToken);
        return new RestoreReport(file, description, aside, manifest, action.Id, 0);
    }

    /// <summary>Rows in SafeStream's tables (none when the schema is not there yet) and the largest event id.</summary>
    private static async Task<(long Rows, long Highest)> ContentAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (await DatabaseFacts.ScalarAsync(connection, null, "SELECT to_regclass('public.users') IS NOT NULL", cancellationToken) is not true)
        {
            return (0, 0);
        }

        var rows = await DatabaseFacts.RowsAsync(connection, null, cancellationToken);
        return (rows.Values.Sum(), await DatabaseFacts.HighestEventIdAsync(connection, null, cancellationToken));
    }

    private static async Task RenameAsync(NpgsqlConnectionStringBuilder builder, string name, string asideName, CancellationToken cancellationToken)
    {
        NpgsqlConnection.ClearAllPools(); // this process's own idle connections would keep the rename waiting
        var maintenance = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"ALTER DATABASE {Quote(name)} RENAME TO {Quote(asideName)}", connection);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse)
        {
            throw new StorageBusyException($"{name} cannot be moved aside while other sessions use it ({ex.MessageText}); stop every server instance and tool on it first.");
        }
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
