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
/// <remarks>
/// The three statements go out in the writer's batch behind the inserts (<see cref="PostgresInserter"/>), one round
/// trip for both, so the lock is taken after the rows are in and held only until the commit that follows.
/// </remarks>
internal static class PostgresFanout
{
    /// <summary>The channel the readers LISTEN on; the payload is empty, the table says what is new.</summary>
    public const string Channel = "safestream_fanout";

    /// <summary>The advisory lock key that orders the rows (beside the instance leases' 0x5AFE… keys).</summary>
    public const long OrderLock = 0x5AFE_0000_0001_0000L;

    /// <summary>
    /// The ids to announce, by table, or null when the batch holds no live event another instance shows. They are
    /// taken before the inserts answer, so a replayed event that a slow commit stored already is announced again: the
    /// listeners drop such repeats by id (<see cref="Cluster.RecentIds"/>).
    /// </summary>
    public static long[][]? Ids(IReadOnlyList<AppendEvents> appends)
    {
        List<long>? chat = null, gifts = null, actions = null;
        foreach (var append in appends)
        {
            if (!append.Live)
            {
                continue;
            }

            foreach (var e in append.Events)
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

        return chat is null && gifts is null && actions is null
            ? null
            : [chat?.ToArray() ?? [], gifts?.ToArray() ?? [], actions?.ToArray() ?? []];
    }

    /// <summary>The lock, the row and the NOTIFY, as batch commands; the row's command takes the <see cref="Ids"/>.</summary>
    public static NpgsqlBatchCommand[] Commands()
    {
        var row = new NpgsqlBatchCommand("INSERT INTO fanout (chat_ids, gift_ids, action_ids) VALUES ($1, $2, $3)");
        for (var i = 0; i < 3; i++)
        {
            row.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        }

        return [new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({OrderLock})"), row, new NpgsqlBatchCommand($"SELECT pg_notify('{Channel}', '')")];
    }

    /// <summary>Binds <paramref name="ids"/> to the row's command of <see cref="Commands"/>.</summary>
    public static void Bind(NpgsqlBatchCommand row, long[][] ids)
    {
        for (var i = 0; i < 3; i++)
        {
            row.Parameters[i].Value = ids[i];
        }
    }
}
