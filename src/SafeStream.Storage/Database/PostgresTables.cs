using Npgsql;
using NpgsqlTypes;
using SafeStream.Storage.Model;
using SafeStream.Storage.Retention;

namespace SafeStream.Storage.Database;

/// <summary>The three event tables on PostgreSQL, column by column: arrays for <c>unnest</c>, rows for COPY, look-ups by id.</summary>
internal sealed class PostgresTables(NpgsqlConnection connection)
{
    private const string ChatColumns = "id, source_key, username, message, toxic, score, blocked, ts";
    private const string GiftColumns = "id, source_key, from_user, gift_id, amount, ts";
    private const string AdminColumns = "id, source_key, admin_user, action, target_user, details, ts";

    /// <summary>
    /// The statement that inserts the rows that are new (by id and source key) and answers their ids, with typed array
    /// parameters: its SQL and types never change, so it is prepared once on the writer's connection and only bound
    /// afterwards (<see cref="Bind{T}"/>).
    /// </summary>
    public static NpgsqlBatchCommand InsertNewCommand(EventKind kind)
    {
        var (table, columns, types) = Shape(kind);

        // Below the retention floor nothing is inserted again. The table lock this statement takes comes before its
        // snapshot, and a prune raises the floor under a lock that waits for every insert in progress, so an insert
        // either sees the new floor or committed before the prune deletes.
        var floor = kind == EventKind.AdminAction ? "" : $" AS u({columns}) WHERE u.ts >= {FloorSettings.Expression(kind)}";
        var command = new NpgsqlBatchCommand(
            $"INSERT INTO {table} ({columns}) SELECT * FROM unnest({string.Join(", ", types.Select((_, i) => $"${i + 1}"))}){floor} ON CONFLICT DO NOTHING RETURNING id");
        foreach (var type in types)
        {
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | type });
        }

        return command;
    }

    /// <summary>Binds <paramref name="rows"/> to a command of <see cref="InsertNewCommand"/>, one array per column.</summary>
    public static void Bind<T>(NpgsqlBatchCommand command, EventKind kind, List<(T Event, byte[]? Key)> rows)
        where T : StorageEvent
    {
        var arrays = Arrays(kind, rows);
        for (var i = 0; i < arrays.Length; i++)
        {
            command.Parameters[i].Value = arrays[i];
        }
    }

    /// <summary>
    /// A binary COPY of every row into the table; a stored id or source key fails it with 23505. Each value is written
    /// with its own type (no boxing, no type lookup per value), as a raw COPY writes it.
    /// </summary>
    public void Copy<T>(EventKind kind, List<(T Event, byte[]? Key)> rows)
        where T : StorageEvent
    {
        var (table, columns, _) = Shape(kind);
        using var writer = connection.BeginBinaryImport($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)");
        foreach (var (e, key) in rows)
        {
            writer.StartRow();
            writer.Write(e.Id, NpgsqlDbType.Bigint);
            if (key is null)
            {
                writer.WriteNull();
            }
            else
            {
                writer.Write(key, NpgsqlDbType.Bytea);
            }

            switch ((StorageEvent)e)
            {
                case ChatMessage m:
                    writer.Write(m.User, NpgsqlDbType.Text);
                    writer.Write(m.Text, NpgsqlDbType.Text);
                    writer.Write(m.Toxic, NpgsqlDbType.Boolean);
                    writer.Write(m.Score, NpgsqlDbType.Double);
                    writer.Write(m.Blocked, NpgsqlDbType.Boolean);
                    break;
                case Gift g:
                    writer.Write(g.From, NpgsqlDbType.Text);
                    writer.Write(g.GiftId, NpgsqlDbType.Integer);
                    writer.Write(g.Amount, NpgsqlDbType.Integer);
                    break;
                case AdminAction a:
                    writer.Write(a.Admin, NpgsqlDbType.Text);
                    writer.Write(a.Action, NpgsqlDbType.Text);
                    WriteText(writer, a.Target);
                    WriteText(writer, a.Details);
                    break;
            }

            writer.Write(Micros.ToUnix(e.Ts), NpgsqlDbType.Bigint);
        }

        writer.Complete();
    }

    /// <summary>
    /// Takes the table's insert lock, then reads the retention floor (after the lock, so a prune raising it waits for
    /// this transaction or is seen), for a COPY, which cannot filter rows itself.
    /// </summary>
    public RetentionFloor LockAndReadFloor(EventKind kind, NpgsqlTransaction transaction)
    {
        using (var command = new NpgsqlCommand($"LOCK TABLE {Shape(kind).Table} IN ROW EXCLUSIVE MODE", connection, transaction))
        {
            command.ExecuteNonQuery();
        }

        using var select = new NpgsqlCommand(FloorSettings.Select, connection, transaction);
        return FloorSettings.Read(select, transaction);
    }

    /// <summary>The events stored under the ids of <paramref name="like"/>, each looked up in its own table.</summary>
    public Dictionary<long, StorageEvent> Find(IEnumerable<StorageEvent> like, NpgsqlTransaction? transaction)
    {
        var found = new Dictionary<long, StorageEvent>();
        foreach (var group in like.GroupBy(Kind))
        {
            Find(group.Key, [.. group.Select(e => e.Id).Distinct()], transaction, found);
        }

        return found;
    }

    /// <summary>Adds to <paramref name="found"/> the events of <paramref name="kind"/> stored under <paramref name="ids"/>.</summary>
    public void Find(EventKind kind, long[] ids, NpgsqlTransaction? transaction, Dictionary<long, StorageEvent> found)
    {
        var (table, columns) = kind switch
        {
            EventKind.Chat => ("chat_messages", ChatMessageRow.Columns),
            EventKind.Gift => ("gifts", GiftRow.Columns),
            _ => ("admin_actions", AdminActionRow.Columns),
        };
        using var command = new NpgsqlCommand($"SELECT {columns}, id FROM {table} WHERE id = ANY(@ids)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = ids });
        using var r = command.ExecuteReader();
        var idColumn = columns.Count(c => c == ',') + 1;
        while (r.Read())
        {
            var id = r.GetInt64(idColumn);
            found[id] = kind switch
            {
                EventKind.Chat => ChatMessageRow.Read(id, r).ToEvent(),
                EventKind.Gift => GiftRow.Read(id, r).ToEvent(),
                _ => AdminActionRow.Read(id, r).ToEvent(),
            };
        }
    }

    private static void WriteText(NpgsqlBinaryImporter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.Write(value, NpgsqlDbType.Text);
        }
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
                var (users, texts, toxic, scores, blocked) = (new string[rows.Count], new string[rows.Count], new bool[rows.Count], new double[rows.Count], new bool[rows.Count]);
                for (var i = 0; i < rows.Count; i++)
                {
                    var m = (ChatMessage)(StorageEvent)rows[i].Event;
                    (users[i], texts[i], toxic[i], scores[i], blocked[i]) = (m.User, m.Text, m.Toxic, m.Score, m.Blocked);
                }

                return [ids, keys, users, texts, toxic, scores, blocked, ts];
            case EventKind.Gift:
                var (from, giftIds, amounts) = (new string[rows.Count], new int[rows.Count], new int[rows.Count]);
                for (var i = 0; i < rows.Count; i++)
                {
                    var g = (Gift)(StorageEvent)rows[i].Event;
                    (from[i], giftIds[i], amounts[i]) = (g.From, g.GiftId, g.Amount);
                }

                return [ids, keys, from, giftIds, amounts, ts];
            default:
                var (admins, actions, targets, details) = (new string[rows.Count], new string[rows.Count], new string?[rows.Count], new string?[rows.Count]);
                for (var i = 0; i < rows.Count; i++)
                {
                    var a = (AdminAction)(StorageEvent)rows[i].Event;
                    (admins[i], actions[i], targets[i], details[i]) = (a.Admin, a.Action, a.Target, a.Details);
                }

                return [ids, keys, admins, actions, targets, details, ts];
        }
    }
}
