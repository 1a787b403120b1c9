using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using SafeStream.Storage;
using SafeStream.Storage.Database;
using SafeStream.Storage.Model;

namespace SafeStream.Bench.Storage;

/// <summary>
/// The references on PostgreSQL: the same rows into the same table (made by the same migrations, indexes included)
/// by a binary COPY in one statement, the fastest way in; or by a prepared insert committed row by row (what one
/// writer who waits for each acknowledgement needs at the least).
/// </summary>
internal static class RawNpgsql
{
    private const string Columns = "id, source_key, username, message, toxic, score, blocked, ts";

    public static async Task<double> CopyRowsPerSecondAsync(string connectionString, string dir, IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(connectionString, dir, cancellationToken);
        var clock = Stopwatch.StartNew();
        using (var copy = connection.BeginBinaryImport($"COPY chat_messages ({Columns}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var m in messages)
            {
                copy.StartRow();
                copy.Write(m.Id, NpgsqlDbType.Bigint);
                copy.WriteNull();
                copy.Write(m.User, NpgsqlDbType.Text);
                copy.Write(m.Text, NpgsqlDbType.Text);
                copy.Write(m.Toxic, NpgsqlDbType.Boolean);
                copy.Write(m.Score, NpgsqlDbType.Double);
                copy.Write(m.Blocked, NpgsqlDbType.Boolean);
                copy.Write(Micros.ToUnix(m.Ts), NpgsqlDbType.Bigint);
            }

            copy.Complete();
        }

        return messages.Count / clock.Elapsed.TotalSeconds;
    }

    public static async Task<double> CommitPerRowPerSecondAsync(string connectionString, string dir, IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(connectionString, dir, cancellationToken);
        using var insert = new NpgsqlCommand($"INSERT INTO chat_messages ({Columns}) VALUES ($1, NULL, $2, $3, $4, $5, $6, $7)", connection);
        var id = new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint };
        var user = new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text };
        var text = new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text };
        var toxic = new NpgsqlParameter<bool> { NpgsqlDbType = NpgsqlDbType.Boolean };
        var score = new NpgsqlParameter<double> { NpgsqlDbType = NpgsqlDbType.Double };
        var blocked = new NpgsqlParameter<bool> { NpgsqlDbType = NpgsqlDbType.Boolean };
        var ts = new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint };
        insert.Parameters.AddRange(new NpgsqlParameter[] { id, user, text, toxic, score, blocked, ts });
        await insert.PrepareAsync(cancellationToken);

        var clock = Stopwatch.StartNew();
        foreach (var m in messages)
        {
            id.TypedValue = m.Id;
            user.TypedValue = m.User;
            text.TypedValue = m.Text;
            toxic.TypedValue = m.Toxic;
            score.TypedValue = m.Score;
            blocked.TypedValue = m.Blocked;
            ts.TypedValue = Micros.ToUnix(m.Ts);
            insert.ExecuteNonQuery(); // autocommit: a transaction per row
        }

        return messages.Count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Not a target's reference but its ceiling: the statement the service's writer runs for a small batch (unnest …
    /// ON CONFLICT DO NOTHING RETURNING id), <paramref name="batch"/> rows per transaction, back to back on one
    /// connection. With 64 writers who each wait for their acknowledgement, no batch holds more than 64 rows.
    /// </summary>
    public static async Task<double> UnnestBatchesPerSecondAsync(string connectionString, string dir, IReadOnlyList<ChatMessage> messages, int batch, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(connectionString, dir, cancellationToken);
        var clock = Stopwatch.StartNew();
        foreach (var chunk in messages.Chunk(batch))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var insert = new NpgsqlCommand(
                $"INSERT INTO chat_messages ({Columns}) SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id", connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = chunk.Select(m => m.Id).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, Value = new byte[]?[chunk.Length] });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = chunk.Select(m => m.User).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = chunk.Select(m => m.Text).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean, Value = chunk.Select(m => m.Toxic).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double, Value = chunk.Select(m => m.Score).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean, Value = chunk.Select(m => m.Blocked).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = chunk.Select(m => Micros.ToUnix(m.Ts)).ToArray() });
            await using (var reader = await insert.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    // the ids, read as the service reads them
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return messages.Count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>A new database with the service's schema, created as a first start creates it, and a connection to it.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(string connectionString, string dir, CancellationToken cancellationToken)
    {
        var options = new StorageOptions
        {
            Provider = DatabaseProvider.PostgreSQL,
            ConnectionString = connectionString,
            LegacyPath = Path.Combine(dir, "legacy"),
            BackupsPath = Path.Combine(dir, "backups"),
        };
        await using (var store = DbStore.Open(options, TimeProvider.System, NullLogger<DbStore>.Instance, DatabaseCreation.OnFirstStart))
        {
            await store.EnsureReadyAsync(cancellationToken);
        }

        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
