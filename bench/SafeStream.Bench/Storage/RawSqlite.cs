using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using SafeStream.Storage;
using SafeStream.Storage.Database;
using SafeStream.Storage.Model;

namespace SafeStream.Bench.Storage;

/// <summary>
/// The reference: the same rows into the same schema with prepared inserts, nothing else; in one transaction, or
/// with a commit per row (what one writer who waits for each acknowledgement needs at the least).
/// </summary>
internal static class RawSqlite
{
    public static async Task<double> InsertsPerSecondAsync(string dir, IReadOnlyList<ChatMessage> messages, bool commitEachRow, CancellationToken cancellationToken)
    {
        var options = new StorageOptions { ConnectionString = $"Data Source={Path.Combine(dir, "raw.db")}" };
        await using (var store = DbStore.Open(options, TimeProvider.System, NullLogger<DbStore>.Instance, DatabaseCreation.OnFirstStart))
        {
            await store.EnsureReadyAsync(cancellationToken); // the same schema and indexes, created by the migrations
        }

        SqliteConnection.ClearAllPools();
        await using var connection = new SqliteConnection(options.ConnectionString);
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=NORMAL;";
            pragma.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO chat_messages (id, source_key, username, message, toxic, score, blocked, ts) VALUES ($id, NULL, $u, $m, $t, $s, $b, $ts)";
        var id = insert.Parameters.Add("$id", SqliteType.Integer);
        var user = insert.Parameters.Add("$u", SqliteType.Text);
        var text = insert.Parameters.Add("$m", SqliteType.Text);
        var toxic = insert.Parameters.Add("$t", SqliteType.Integer);
        var score = insert.Parameters.Add("$s", SqliteType.Real);
        var blocked = insert.Parameters.Add("$b", SqliteType.Integer);
        var ts = insert.Parameters.Add("$ts", SqliteType.Integer);
        insert.Prepare();

        var clock = Stopwatch.StartNew();
        var transaction = connection.BeginTransaction();
        foreach (var m in messages)
        {
            insert.Transaction = transaction;
            id.Value = m.Id;
            user.Value = m.User;
            text.Value = m.Text;
            toxic.Value = m.Toxic;
            score.Value = m.Score;
            blocked.Value = m.Blocked;
            ts.Value = Micros.ToUnix(m.Ts);
            insert.ExecuteNonQuery();
            if (commitEachRow)
            {
                transaction.Commit();
                transaction.Dispose();
                transaction = connection.BeginTransaction();
            }
        }

        transaction.Commit();
        transaction.Dispose();

        return messages.Count / clock.Elapsed.TotalSeconds;
    }
}
