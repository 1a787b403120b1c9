using System.Data;
using System.Data.Common;
using SafeStream.Storage.Database;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Retention;

/// <summary>
/// Retention on the database, beside the writer on connections of its own: the floor is raised first (so nothing
/// below it is inserted again, by any process), then rows below it are deleted in short batches, each its own
/// transaction, so the chat writer waits at most one batch.
/// </summary>
internal sealed class DatabasePruner(ISqlDialect dialect)
{
    public DatabaseProvider Provider => dialect.Provider;

    public async Task<RetentionFloor> FloorAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await FloorSettings.ReadAsync(connection, cancellationToken);
    }

    /// <summary>When the last run was recorded (by any process), or null.</summary>
    public async Task<DateTimeOffset?> LastRunAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT max(ts) FROM admin_actions WHERE admin_user = @admin", ("admin", Pruner.Actor));
        return await command.ExecuteScalarAsync(cancellationToken) is long micros ? Micros.FromUnix(micros) : null;
    }

    public async Task<long> CountOlderAsync(EventKind kind, DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT count(*) FROM {Table(kind)} WHERE ts < @before", ("before", Micros.ToUnix(before)));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Raises the floor to <paramref name="horizon"/> (never lowers it). On PostgreSQL the two event tables are locked
    /// against inserts for the moment of the update, which waits for every insert in progress: an insert that read the
    /// old floor has committed before this does, so the deletes that follow see its rows. On SQLite the transaction
    /// holds the write lock, which the writer's transactions hold too.
    /// </summary>
    public async Task RaiseFloorAsync(RetentionFloor horizon, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (dialect.Provider == DatabaseProvider.PostgreSQL)
        {
            await using var command = Command(connection, "SET LOCAL lock_timeout = '30s'; LOCK TABLE chat_messages, gifts IN SHARE ROW EXCLUSIVE MODE");
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (key, value) in new[] { (FloorSettings.ChatKey, horizon.Chat), (FloorSettings.GiftsKey, horizon.Gifts) })
        {
            if (value is { } before)
            {
                await using var command = Command(connection, FloorSettings.Raise, ("key", key), ("value", FloorSettings.Format(before)), ("at", Micros.ToUnix(at)));
                command.Transaction = transaction;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Deletes up to <paramref name="batchSize"/> rows of <paramref name="kind"/> older than <paramref name="before"/>; answers how many.</summary>
    public async Task<int> DeleteBatchAsync(EventKind kind, DateTimeOffset before, int batchSize, CancellationToken cancellationToken)
    {
        if (kind == EventKind.AdminAction)
        {
            throw new ArgumentException("Admin actions are the audit trail: they are never pruned.", nameof(kind));
        }

        var table = Table(kind);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            $"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE ts < @before LIMIT @n)",
            ("before", Micros.ToUnix(before)),
            ("n", batchSize));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static string Table(EventKind kind) => kind switch
    {
        EventKind.Chat => "chat_messages",
        EventKind.Gift => "gifts",
        _ => "admin_actions",
    };

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = dialect.CreateConnection(create: false);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 60;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value;
            parameter.DbType = value switch
            {
                long => DbType.Int64,
                int => DbType.Int32,
                _ => DbType.String,
            };
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
