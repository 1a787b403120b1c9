using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using SafeStream.Storage;
using SafeStream.Storage.Database;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Model;

namespace SafeStream.Bench.Lifecycle;

/// <summary>A database of the migrations' schema holding <c>n</c> chat events (a few hundred authors), filled raw and fast.</summary>
internal static class LifecycleData
{
    public static async Task FillSqliteAsync(StorageOptions options, int events, CancellationToken cancellationToken)
    {
        await CreateAsync(options, cancellationToken);
        await using var connection = new SqliteConnection(options.ConnectionString);
        connection.Open();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO chat_messages (id, source_key, username, message, toxic, score, blocked, ts) VALUES ($id, NULL, $u, $m, 0, 0.01, 0, $ts)";
        var id = insert.Parameters.Add("$id", SqliteType.Integer);
        var user = insert.Parameters.Add("$u", SqliteType.Text);
        var text = insert.Parameters.Add("$m", SqliteType.Text);
        var ts = insert.Parameters.Add("$ts", SqliteType.Integer);
        using var transaction = connection.BeginTransaction();
        insert.Transaction = transaction;
        foreach (var m in Messages(events))
        {
            (id.Value, user.Value, text.Value, ts.Value) = (m.Id, m.User, m.Text, Micros.ToUnix(m.Ts));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public static async Task FillPostgresAsync(StorageOptions options, int events, CancellationToken cancellationToken)
    {
        await CreateAsync(options, cancellationToken);
        await using var connection = new NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var copy = await connection.BeginBinaryImportAsync("COPY chat_messages (id, source_key, username, message, toxic, score, blocked, ts) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var m in Messages(events))
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(m.Id, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteNullAsync(cancellationToken);
                await copy.WriteAsync(m.User, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(m.Text, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(false, NpgsqlDbType.Boolean, cancellationToken);
                await copy.WriteAsync(0.01, NpgsqlDbType.Double, cancellationToken);
                await copy.WriteAsync(false, NpgsqlDbType.Boolean, cancellationToken);
                await copy.WriteAsync(Micros.ToUnix(m.Ts), NpgsqlDbType.Bigint, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using var analyze = new NpgsqlCommand("VACUUM ANALYZE chat_messages", connection);
        await analyze.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task CreateAsync(StorageOptions options, CancellationToken cancellationToken)
    {
        await using (var store = DbStore.Open(options, TimeProvider.System, NullLogger<DbStore>.Instance, DatabaseCreation.Always))
        {
            await store.EnsureReadyAsync(cancellationToken);
        }

        SqliteConnection.ClearAllPools();
    }

    private static IEnumerable<ChatMessage> Messages(int events)
    {
        var ids = new EventIdGenerator(TimeProvider.System, 9);
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        for (var i = 0; i < events; i++)
        {
            yield return new ChatMessage(ids.Next(), $"viewer{i % 500}", $"message number {i} in a long and busy stream, with a few words", false, 0.01, false, start.AddMilliseconds(i * 500.0));
        }
    }
}
