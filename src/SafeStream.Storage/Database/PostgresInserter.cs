using Npgsql;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Database;

/// <summary>
/// PostgreSQL's inserts: every event of the batch in one statement per table. A large table part (an import) is
/// first tried as a binary COPY straight into the table under a savepoint, the fastest path when nothing is stored
/// yet; otherwise, or when the COPY meets a stored id or source key, one <c>INSERT … SELECT FROM unnest(…) ON
/// CONFLICT DO NOTHING RETURNING id</c> inserts what is new and names it. Events not inserted are then looked up by
/// id, to tell a harmless repeat from an id taken by another event.
/// </summary>
internal sealed class PostgresInserter(WriterSession session) : IEventInserter
{
    /// <summary>Rows of one table from which a COPY is tried first.</summary>
    private const int CopyFrom = 1000;

    private readonly PostgresTables _tables = new((NpgsqlConnection)session.Connection);
    private readonly PostgresFanout _fanout = new((NpgsqlConnection)session.Connection);

    public IReadOnlyList<AppendResult> Insert(IReadOnlyList<AppendEvents> appends)
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
        inserted.UnionWith(InsertTable(EventKind.Chat, rows.Chat, transaction));
        inserted.UnionWith(InsertTable(EventKind.Gift, rows.Gift, transaction));
        inserted.UnionWith(InsertTable(EventKind.AdminAction, rows.Admin, transaction));
        var fresh = appends.Any(a => a.Live) ? new HashSet<long>(inserted) : null; // Attribute takes the ids out
        var results = Attribute(appends, inserted, transaction);
        if (fresh is not null)
        {
            _fanout.Announce(appends, fresh, transaction); // last: its lock is held only until the commit that follows
        }

        return results;
    }

    private IEnumerable<long> InsertTable<T>(EventKind kind, List<(T Event, byte[]? Key)> rows, NpgsqlTransaction transaction)
        where T : StorageEvent
    {
        if (rows.Count == 0)
        {
            return [];
        }

        if (rows.Count >= CopyFrom && TryCopy(kind, rows, transaction))
        {
            return rows.Select(r => r.Event.Id);
        }

        return _tables.InsertNew(kind, rows, transaction);
    }

    private bool TryCopy<T>(EventKind kind, List<(T Event, byte[]? Key)> rows, NpgsqlTransaction transaction)
        where T : StorageEvent
    {
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
    private AppendResult[] Attribute(IReadOnlyList<AppendEvents> appends, HashSet<long> inserted, NpgsqlTransaction transaction)
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

    private sealed class Rows
    {
        public List<(ChatMessage, byte[]?)> Chat { get; } = [];

        public List<(Gift, byte[]?)> Gift { get; } = [];

        public List<(AdminAction, byte[]?)> Admin { get; } = [];

        public void Add(StorageEvent e, byte[]? key)
        {
            switch (e)
            {
                case ChatMessage m:
                    Chat.Add((m, key));
                    break;
                case Gift g:
                    Gift.Add((g, key));
                    break;
                case AdminAction a:
                    Admin.Add((a, key));
                    break;
                default:
                    throw new ArgumentException($"Unknown event kind {e.GetType().Name}.", nameof(e));
            }
        }
    }
}
