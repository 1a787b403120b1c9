using Npgsql;
using NpgsqlTypes;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Database;

/// <summary>
/// Announces a batch's live events to the other server instances, in the writer's transaction: one <c>fanout</c> row
/// (their ids) and one NOTIFY per batch, never per message (NOTIFY takes a server-wide lock at commit). The
/// transaction-scoped advisory lock taken first makes row order commit order: a row's sequence number is drawn only
/// once every earlier row's transaction has committed, so a reader that saw row n has seen every row before it. The
/// lock is held from here to the commit, the tail of the transaction. Blocked messages are left out: only their
/// sender, on this instance, sees them.
/// </summary>
internal sealed class PostgresFanout(NpgsqlConnection connection)
{
    /// <summary>The channel the readers LISTEN on; the payload is empty, the table says what is new.</summary>
    public const string Channel = "safestream_fanout";

    /// <summary>The advisory lock key that orders the rows (beside the instance leases' 0x5AFE… keys).</summary>
    public const long OrderLock = 0x5AFE_0000_0001_0000L;

    private NpgsqlCommand? _command;

    /// <summary>
    /// Announces the live events this transaction <paramref name="inserted"/>: one stored already (a replay of a batch
    /// whose slow commit was announced when it landed, an id taken by another event) was news once, or never.
    /// </summary>
    public void Announce(IReadOnlyList<AppendEvents> appends, IReadOnlySet<long> inserted, NpgsqlTransaction transaction)
    {
        List<long>? chat = null, gifts = null, actions = null;
        foreach (var append in appends)
        {
            if (!append.Live)
            {
                continue;
            }

            foreach (var e in append.Events.Where(e => inserted.Contains(e.Id)))
            {
                switch (e)
                {
                    case ChatMessage { Blocked: false } m:
                        (chat ??= []).Add(m.Id);
                        break;
                    case Gift g:
                        (gifts ??= []).Add(g.Id);
                        break;
                    case AdminAction a:
                        (actions ??= []).Add(a.Id);
                        break;
                }
            }
        }

        if (chat is null && gifts is null && actions is null)
        {
            return;
        }

        var command = _command ??= Prepare();
        command.Transaction = transaction;
        command.Parameters[0].Value = chat?.ToArray() ?? [];
        command.Parameters[1].Value = gifts?.ToArray() ?? [];
        command.Parameters[2].Value = actions?.ToArray() ?? [];
        command.ExecuteNonQuery();
    }

    private NpgsqlCommand Prepare()
    {
        var command = new NpgsqlCommand(
            $"SELECT pg_advisory_xact_lock({OrderLock}); " +
            "INSERT INTO fanout (chat_ids, gift_ids, action_ids) VALUES (@chat, @gifts, @actions); " +
            $"SELECT pg_notify('{Channel}', '')",
            connection);
        foreach (var name in (string[])["chat", "gifts", "actions"])
        {
            command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Bigint));
        }

        command.Prepare();
        return command;
    }
}
