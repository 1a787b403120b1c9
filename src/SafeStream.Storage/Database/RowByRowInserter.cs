using System.Data;
using System.Data.Common;
using SafeStream.Storage.Model;
using SafeStream.Storage.Retention;

namespace SafeStream.Storage.Database;

/// <summary>
/// SQLite's inserts: one prepared statement per table, executed per row. In-process SQLite has no round trips, and
/// this is as fast as its bulk paths; a row not inserted is looked up to tell a repeat from an id taken by another event.
/// </summary>
internal sealed class RowByRowInserter : IEventInserter
{
    private readonly WriterSession _session;
    private readonly DbCommand _chat;
    private readonly DbCommand _gift;
    private readonly DbCommand _admin;
    private readonly DbCommand _floor;
    private readonly StoredEvents _stored;

    public RowByRowInserter(WriterSession session)
    {
        _session = session;
        _chat = session.Command(SqlStatements.InsertChat, ("id", DbType.Int64), ("source_key", DbType.Binary), ("username", DbType.String), ("message", DbType.String), ("toxic", DbType.Boolean), ("score", DbType.Double), ("blocked", DbType.Boolean), ("ts", DbType.Int64));
        _gift = session.Command(SqlStatements.InsertGift, ("id", DbType.Int64), ("source_key", DbType.Binary), ("from_user", DbType.String), ("gift_id", DbType.Int32), ("amount", DbType.Int32), ("ts", DbType.Int64));
        _admin = session.Command(SqlStatements.InsertAdmin, ("id", DbType.Int64), ("source_key", DbType.Binary), ("admin_user", DbType.String), ("action", DbType.String), ("target_user", DbType.String), ("details", DbType.String), ("ts", DbType.Int64));
        _floor = session.Command(FloorSettings.Select);
        _stored = new StoredEvents(session);
    }

    public IReadOnlyList<AppendResult> Insert(IReadOnlyList<AppendEvents> appends)
    {
        // Read inside the writer's transaction, which holds SQLite's write lock (BEGIN IMMEDIATE): a prune that raises
        // the floor commits either before it (and is seen here) or after these rows (and deletes them).
        var floor = FloorSettings.Read(_floor, _session.Transaction);
        var results = new AppendResult[appends.Count];
        for (var i = 0; i < appends.Count; i++)
        {
            results[i] = Insert(appends[i], floor);
        }

        return results;
    }

    private AppendResult Insert(AppendEvents op, RetentionFloor floor)
    {
        var inserted = 0;
        List<IdConflict>? conflicts = null;
        for (var i = 0; i < op.Events.Count; i++)
        {
            var key = op.SourceKeys?[i];
            var e = op.Events[i];
            if (floor.Covers(e))
            {
                continue; // pruned by retention: a replay or an import never brings it back
            }

            var rows = e switch
            {
                ChatMessage m => _session.Run(_chat, m.Id, key, m.User, m.Text, m.Toxic, m.Score, m.Blocked, Micros.ToUnix(m.Ts)),
                Gift g => _session.Run(_gift, g.Id, key, g.From, g.GiftId, g.Amount, Micros.ToUnix(g.Ts)),
                AdminAction a => _session.Run(_admin, a.Id, key, a.Admin, a.Action, a.Target, a.Details, Micros.ToUnix(a.Ts)),
                _ => throw new ArgumentException($"Unknown event kind {e.GetType().Name}.", nameof(op)),
            };
            inserted += rows;

            // Not inserted: a replay of the same event (same id, same content), an imported line seen before (its
            // source key), or an id that is taken by another event, which must not pass unnoticed.
            if (rows == 0 && _stored.Find(e) is { } stored && stored != e)
            {
                (conflicts ??= []).Add(new IdConflict(e, stored));
            }
        }

        return new AppendResult(inserted, (IReadOnlyList<IdConflict>?)conflicts ?? []);
    }
}
