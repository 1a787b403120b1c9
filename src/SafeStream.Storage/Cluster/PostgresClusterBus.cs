using Microsoft.Extensions.Logging;
using Npgsql;
using SafeStream.Storage.Database;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Journal;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Cluster;

/// <summary>
/// Fan-out between instances on PostgreSQL. A dedicated, unpooled connection LISTENs on
/// <see cref="PostgresFanout.Channel"/>; a notification (or, as a safety net, a second without one) makes it read the
/// <c>fanout</c> rows past its cursor, in commit order, load their events by id and hand over those another instance
/// numbered (this instance delivered its own when they were stored). Notifications are not stored, the rows are: a
/// connection that dropped is opened again, LISTENs again and reads on from the same cursor. The cursor starts at the
/// newest row when the instance starts: a new instance shows what is said after it started.
/// </summary>
internal sealed partial class PostgresClusterBus(string connectionString, int instance, ILogger logger) : IClusterBus
{
    private const int RowsPerRead = 500;
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan KeepRows = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    private readonly string _listen = new NpgsqlConnectionStringBuilder(connectionString)
    {
        Pooling = false,
        KeepAlive = 5,
        CommandTimeout = 5,
        ApplicationName = ListenerName(instance), // an operator (or a test) can find it in pg_stat_activity
    }.ConnectionString;
    private readonly RecentIds _delivered = new(2 * SpillJournal.NewsFor, TimeProvider.System);
    private volatile FanoutStatus _status = new("connecting", null, null, 0, null);
    private long? _cursor;
    private DateTime _cleanedAt;

    /// <summary>The <c>application_name</c> of an instance's listening connection.</summary>
    public static string ListenerName(int instance) => $"safestream-fanout-{instance}";

    public bool Enabled => true;

    public int Instance => instance;

    public FanoutStatus Status => _status;

    public async Task ListenAsync(Func<IReadOnlyList<StorageEvent>, CancellationToken, Task> deliver, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_listen);

                // A notification that arrives while a catch-up's query runs is consumed by that query, not by the
                // wait after it, and its row may have committed after the query's snapshot: read again at once
                // rather than after the safety second.
                var notified = 0;
                connection.Notification += (_, _) => Volatile.Write(ref notified, 1);
                await connection.OpenAsync(cancellationToken);
                await ExecuteAsync(connection, $"LISTEN {PostgresFanout.Channel}", cancellationToken);
                _cursor ??= await NewestAsync(connection, cancellationToken); // after LISTEN: nothing falls in between
                _status = _status with { State = "listening", Cursor = _cursor };
                LogListening(logger, _cursor.Value);
                backoff = TimeSpan.FromMilliseconds(100);
                while (true)
                {
                    Volatile.Write(ref notified, 0);
                    await CatchUpAsync(connection, deliver, cancellationToken);
                    if (Volatile.Read(ref notified) == 0)
                    {
                        await connection.WaitAsync(Safety, cancellationToken);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested) // whatever it was, the cursor says where to go on
            {
                _status = _status with { State = "reconnecting", Reconnects = _status.Reconnects + 1, LastError = ex.Message };
                LogLost(logger, ex.Message, backoff.TotalMilliseconds);

                // Real time, like the driver's own timeouts: a test's fake clock must not stall the reconnect.
                await Task.Delay(backoff, CancellationToken.None).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private async Task CatchUpAsync(NpgsqlConnection connection, Func<IReadOnlyList<StorageEvent>, CancellationToken, Task> deliver, CancellationToken cancellationToken)
    {
        while (true)
        {
            var rows = await ReadRowsAsync(connection, _cursor!.Value, cancellationToken);
            if (rows.Count > 0)
            {
                // One load per kind for every row read, then delivered row by row: commit order across instances.
                var events = Load(connection, rows); // on the listener's own connection, between its awaits
                foreach (var row in rows)
                {
                    var batch = row.Ids.Where(id => events.ContainsKey(id) && _delivered.Add(id)).Select(id => events[id]).ToList();
                    if (batch.Count > 0)
                    {
                        await deliver(batch, cancellationToken);
                    }

                    _cursor = row.Seq;
                    _status = _status with { Cursor = row.Seq, LagMs = row.LagMs };
                }
            }

            if (rows.Count < RowsPerRead)
            {
                break;
            }
        }

        if (DateTime.UtcNow - _cleanedAt > KeepRows / 10)
        {
            _cleanedAt = DateTime.UtcNow;
            await ExecuteAsync(connection, $"DELETE FROM fanout WHERE at < now() - interval '{(int)KeepRows.TotalSeconds} seconds'", cancellationToken);
        }
    }

    /// <summary>Rows past the cursor, in order, each with the ids (ascending: each sender's order) of the events another instance numbered.</summary>
    private async Task<List<Row>> ReadRowsAsync(NpgsqlConnection connection, long cursor, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT seq, chat_ids, gift_ids, action_ids, extract(epoch FROM clock_timestamp() - at) * 1000 " +
            $"FROM fanout WHERE seq > @cursor ORDER BY seq LIMIT {RowsPerRead}",
            connection);
        command.Parameters.AddWithValue("cursor", cursor);
        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (chat, gifts, actions) = (Others(reader.GetFieldValue<long[]>(1)), Others(reader.GetFieldValue<long[]>(2)), Others(reader.GetFieldValue<long[]>(3)));
            var ids = chat.Concat(gifts).Concat(actions).Order().ToList();
            rows.Add(new Row(reader.GetInt64(0), ids, chat, gifts, actions, Convert.ToDouble(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    private static async Task<long> NewestAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT coalesce(max(seq), 0) FROM fanout", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fan-out: listening for the other instances' messages from row {Cursor}")]
    private static partial void LogListening(ILogger logger, long cursor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fan-out: the listening connection failed ({Reason}); reconnecting in {DelayMs} ms, then catching up from the cursor")]
    private static partial void LogLost(ILogger logger, string reason, double delayMs);
}
