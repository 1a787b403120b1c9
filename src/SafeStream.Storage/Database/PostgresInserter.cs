using Npgsql;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Database;

/// <summary>
/// PostgreSQL's inserts: every event of the batch in one statement per table. A large table part (an import) is
/// first tried as a binary COPY straight into the table under a savepoint, the fastest path when nothing is stored
/// yet; otherwise, or when the COPY meets a stored id or source key, one <c>INSERT … SELECT FROM unnest(…) ON
/// CONFLICT DO NOTHING RETURNING id</c> inserts what is new and names it. Those inserts and the fan-out's statements
/// go to the server together, one round trip, as statements prepared once on the session's connection: a small live
/// batch (64 writers make batches of 64 rows at most) costs that round trip and the commit's, and no parse or plan.
/// Events not inserted are then looked up by id, to tell a harmless repeat from an id taken by another event.
/// </summary>
internal sealed partial class PostgresInserter(WriterSession session) : IEventInserter
{
    /// <summary>Rows of one table from which a COPY is tried first.</summary>
    private const int CopyFrom = 1000;

    private const int Announce = 1 << 3;

    private const int Commit = 1 << 4;

    /// <summary>The tables in the order their statements stand in a batch.</summary>
    private static readonly EventKind[] Kinds = [EventKind.Chat, EventKind.Gift, EventKind.AdminAction];

    private readonly NpgsqlConnection _connection = (NpgsqlConnection)session.Connection;
    private readonly PostgresTables _tables = new((NpgsqlConnection)session.Connection);

    /// <summary>The prepared batches, by the tables they insert into (a bit per <see cref="EventKind"/>), <see cref="Announce"/> and <see cref="Commit"/>.</summary>
    private readonly Dictionary<int, NpgsqlBatch> _batches = [];

    public IReadOnlyList<AppendResult> Insert(IReadOnlyList<AppendEvents> appends) => Run(appends, commit: false).Results;

    /// <summary>
    /// The inserts, the fan-out and the COMMIT in one round trip. A statement that fails makes the server skip the rest,
    /// COMMIT included (the batch ends in one Sync), so the transaction is rolled back as before; events not inserted
    /// are looked up after the commit, in rows that are stored for good. A connection lost between the commit and
    /// that look-up fails the batch although it is stored, as a connection lost while a COMMIT's answer is on its way
    /// always could: the journal or the caller sends it again, and its ids make that a repeat, never a duplicate.
    /// </summary>
    public (IReadOnlyList<AppendResult> Results, bool Committed) InsertLast(IReadOnlyList<AppendEvents> appends) => Run(appends, commit: true);

    private (IReadOnlyList<AppendResult> Results, bool Committed) Run(IReadOnlyList<AppendEvents> appends, bool commit)
    {
        var rows = new Rows();
        foreach (var append in appends)
        {
            for (var i = 0; i < append.Events.Count; i++)
            {
                rows.Add(append.Events[i], append.SourceKeys?[i]);
            }
        }

        var transaction = (NpgsqlTransaction)session.Transaction!;
        var inserted = new HashSet<long>();
        var statements = Copied(EventKind.Chat, rows.Chat, inserted, transaction)
            | Copied(EventKind.Gift, rows.Gift, inserted, transaction)
            | Copied(EventKind.AdminAction, rows.Admin, inserted, transaction);
        var announce = PostgresFanout.Ids(appends);
        if (announce is not null)
        {
            statements |= Announce;
        }

        var committed = false;
        if (statements != 0)
        {
            committed = commit;
            Execute(statements | (commit ? Commit : 0), rows, announce, inserted, transaction);
        }

        return (Attribute(appends, inserted, committed ? null : transaction), committed);
    }

    /// <summary>
    /// Copies a large table part straight in when nothing of it is stored yet (its ids are then all inserted); answers
    /// the kind's bit when its rows are left to the batch's <c>INSERT … ON CONFLICT DO NOTHING</c>.
    /// </summary>
    private int Copied<T>(EventKind kind, List<(T Event, byte[]? Key)> rows, HashSet<long> inserted, NpgsqlTransaction transaction)
        where T : StorageEvent
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        if (rows.Count >= CopyFrom && TryCopy(kind, rows, transaction))
        {
            foreach (var (e, _) in rows)
            {
                inserted.Add(e.Id);
            }

            return 0;
        }

        return 1 << (int)kind;
    }

    /// <summary>One round trip: the inserts of <paramref name="statements"/>, in kind order, then the fan-out's lock, row and NOTIFY, then COMMIT.</summary>
    private void Execute(int statements, Rows rows, long[][]? announce, HashSet<long> inserted, NpgsqlTransaction transaction)
    {
        var batch = Prepared(statements, transaction);
        batch.Transaction = transaction;
        var next = 0;
        foreach (var kind in Kinds)
        {
            if ((statements & (1 << (int)kind)) != 0)
            {
                rows.Bind(batch.BatchCommands[next++], kind);
            }
        }

        if (announce is not null)
        {
            PostgresFanout.Bind(batch.BatchCommands[next + 1], announce);
        }

        using var reader = batch.ExecuteReader();
        for (var i = 0; i < next; i++)
        {
            while (reader.Read())
            {
                inserted.Add(reader.GetInt64(0));
            }

            reader.NextResult();
        }
    }

    /// <summary>The batch of <paramref name="statements"/>, prepared the first time (its statements are the connection's from then on).</summary>
    private NpgsqlBatch Prepared(int statements, NpgsqlTransaction transaction)
    {
        if (!_batches.TryGetValue(statements, out var batch))
        {
            batch = new NpgsqlBatch(_connection);
            foreach (var kind in Kinds.Where(k => (statements & (1 << (int)k)) != 0))
            {
                batch.BatchCommands.Add(PostgresTables.InsertNewCommand(kind));
            }

            if ((statements & Announce) != 0)
            {
                foreach (var command in PostgresFanout.Commands())
                {
                    batch.BatchCommands.Add(command);
                }
            }

            if ((statements & Commit) != 0)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
            }

            batch.Transaction = transaction;
            batch.Prepare();
            _batches.Add(statements, batch);
        }

        return batch;
    }

    private bool TryCopy<T>(EventKind kind, List<(T Event, byte[]? Key)> rows, NpgsqlTransaction transaction)
        where T : StorageEvent
    {
        if (kind != EventKind.AdminAction && _tables.LockAndReadFloor(kind, transaction) is { IsNone: false } floor)
        {
            rows.RemoveAll(r => floor.Covers(r.Event)); // pruned by retention: not copied back
            if (rows.Count == 0)
            {
                return true;
            }
        }

        transaction.Save("copy");
        try
        {
            _tables.Copy(kind, rows);
            transaction.Release("copy");
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            transaction.Rollback("copy"); // some are stored already: the INSERT below skips them
            return false;
        }
    }

    /// <summary>Each op's inserted count; an event not inserted is a repeat, or a conflict when its id holds other content.</summary>
    private AppendResult[] Attribute(IReadOnlyList<AppendEvents> appends, HashSet<long> inserted, NpgsqlTransaction? transaction)
    {
        var counts = new int[appends.Count];
        List<(int Op, StorageEvent Event)>? missed = null;
        for (var i = 0; i < appends.Count; i++)
        {
            foreach (var e in appends[i].Events)
            {
                if (inserted.Remove(e.Id))
                {
                    counts[i]++; // the first op to carry an id owns its insert
                }
                else
                {
                    (missed ??= []).Add((i, e));
                }
            }
        }

        var conflicts = new List<IdConflict>?[appends.Count];
        if (missed is not null)
        {
            var stored = _tables.Find(missed.Select(m => m.Event), transaction);
            foreach (var (op, e) in missed)
            {
                if (stored.TryGetValue(e.Id, out var other) && other != e)
                {
                    (conflicts[op] ??= []).Add(new IdConflict(e, other));
                }
            }
        }

        return [.. counts.Select((count, i) => count == 0 && conflicts[i] is null ? AppendResult.Nothing : new AppendResult(count, (IReadOnlyList<IdConflict>?)conflicts[i] ?? []))];
    }
}
