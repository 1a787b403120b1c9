using Npgsql;
using NpgsqlTypes;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Database;

/// <summary>The three event tables on PostgreSQL, column by column: arrays for <c>unnest</c>, rows for COPY, look-ups by id.</summary>
internal sealed class PostgresTables(NpgsqlConnection connection)
{
    private const string ChatColumns = "id, source_key, username, message, toxic, score, blocked, ts";
    private const string GiftColumns = "id, source_key, from_user, gift_id, amount, ts";
    private const string AdminColumns = "id, source_key, admin_user, action, target_user, details, ts";

    /// <summary>Inserts the rows that are new (by id and source key) and answers their ids.</summary>
    public List<long> InsertNew<T>(EventKind kind, List<(T Event, byte[]? Key)> rows, NpgsqlTransaction transaction)
        where T : StorageEvent
    {
        var (table, columns, types) = Shape(kind);
        using var command = new NpgsqlCommand(
            $"INSERT INTO {table} ({columns}) SELECT * FROM unnest({string.Join(", ", types.Select((_, i) => $"@p{i}"))}) ON CONFLICT DO NOTHING RETURNING id",
            connection,
            transaction);
        var arrays = Arrays(kind, rows);
        for (var i = 0; i < types.Length; i++)
        {
            command.Parameters.Add(new NpgsqlParameter($"p{i}", NpgsqlDbType.Array | types[i]) { Value = arrays[i] });
        }

        var ids = new List<long>(rows.Count);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    /// <summary>A binary COPY of every row into the table; a stored id or source key fails it with 23505.</summary>
    public void Copy<T>(EventKind kind, List<(T Event, byte[]? Key)> rows)
        where T : StorageEvent
    {
        var (table, columns, types) = Shape(kind);
        using var writer = connection.BeginBinaryImport($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)");
        var arrays = Arrays(kind, rows);
        for (var row = 0; row < rows.Count; row++)
        {
            writer.StartRow();
            for (var column = 0; column < types.Length; column++)
            {
                if (arrays[column].GetValue(row) is { } value)
                {
                    writer.Write(value, types[column]);
                }
                else
                {
                    writer.WriteNull();
                }
            }
        }

        writer.Complete();
    }

    /// <summary>The events stored under the ids of <paramref name="like"/>, each looked up in its own table.</summary>
    public Dictionary<long, StorageEvent> Find(IEnumerable<StorageEvent> like, NpgsqlTransaction transaction)
    {
        var found = new Dictionary<long, StorageEvent>();
        foreach (var group in like.GroupBy(Kind))
        {
            var (table, columns) = group.Key switch
            {
                EventKind.Chat => ("chat_messages", ChatMessageRow.Columns),
                EventKind.Gift => ("gifts", GiftRow.Columns),
                _ => ("admin_actions", AdminActionRow.Columns),
            };
            using var command = new NpgsqlCommand($"SELECT {columns}, id FROM {table} WHERE id = ANY(@ids)", connection, transaction);
            command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = group.Select(e => e.Id).Distinct().ToArray() });
            using var r = command.ExecuteReader();
            var idColumn = columns.Count(c => c == ',') + 1;
            while (r.Read())
            {
                var id = r.GetInt64(idColumn);
                found[id] = group.Key switch
                {
                    EventKind.Chat => ChatMessageRow.Read(id, r).ToEvent(),
                    EventKind.Gift => GiftRow.Read(id, r).ToEvent(),
                    _ => AdminActionRow.Read(id, r).ToEvent(),
                };
            }
        }

        return found;
    }

    private static EventKind Kind(StorageEvent e) => e switch
    {
        ChatMessage => EventKind.Chat,
        Gift => EventKind.Gift,
        _ => EventKind.AdminAction,
    };

    private static (string Table, string Columns, NpgsqlDbType[] Types) Shape(EventKind kind) => kind switch
    {
        EventKind.Chat => ("chat_messages", ChatColumns, [NpgsqlDbType.Bigint, NpgsqlDbType.Bytea, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Boolean, NpgsqlDbType.Double, NpgsqlDbType.Boolean, NpgsqlDbType.Bigint]),
        EventKind.Gift => ("gifts", GiftColumns, [NpgsqlDbType.Bigint, NpgsqlDbType.Bytea, NpgsqlDbType.Text, NpgsqlDbType.Integer, NpgsqlDbType.Integer, NpgsqlDbType.Bigint]),
        _ => ("admin_actions", AdminColumns, [NpgsqlDbType.Bigint, NpgsqlDbType.Bytea, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Bigint]),
    };

    /// <summary>The rows as one array per column, in the order of the table's columns above.</summary>
    private static Array[] Arrays<T>(EventKind kind, List<(T Event, byte[]? Key)> rows)
        where T : StorageEvent
    {
        var ids = new long[rows.Count];
        var keys = new byte[]?[rows.Count];
        var ts = new long[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            ids[i] = rows[i].Event.Id;
            keys[i] = rows[i].Key;
            ts[i] = Micros.ToUnix(rows[i].Event.Ts);
        }

        switch (kind)
        {
            case EventKind.Chat:
                var chat = rows.Select(r => (ChatMessage)(StorageEvent)r.Event).ToArray();
                return [ids, keys, chat.Select(m => m.User).ToArray(), chat.Select(m => m.Text).ToArray(), chat.Select(m => m.Toxic).ToArray(), chat.Select(m => m.Score).ToArray(), chat.Select(m => m.Blocked).ToArray(), ts];
            case EventKind.Gift:
                var gifts = rows.Select(r => (Gift)(StorageEvent)r.Event).ToArray();
                return [ids, keys, gifts.Select(g => g.From).ToArray(), gifts.Select(g => g.GiftId).ToArray(), gifts.Select(g => g.Amount).ToArray(), ts];
            default:
                var actions = rows.Select(r => (AdminAction)(StorageEvent)r.Event).ToArray();
                return [ids, keys, actions.Select(a => a.Admin).ToArray(), actions.Select(a => a.Action).ToArray(), actions.Select(a => a.Target).ToArray(), actions.Select(a => a.Details).ToArray(), ts];
        }
    }
}
