using Npgsql;
using SafeStream.Storage.Database;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Cluster;

/// <summary>The events behind fan-out rows, loaded by id (the writer's look-up): one query per kind for every row read at once.</summary>
internal sealed partial class PostgresClusterBus
{
    private long[] Others(long[] ids) => Array.FindAll(ids, id => EventIdGenerator.InstanceOf(id) != instance);

    private static Dictionary<long, StorageEvent> Load(NpgsqlConnection connection, List<Row> rows)
    {
        var events = new Dictionary<long, StorageEvent>();
        var tables = new PostgresTables(connection);
        foreach (var (kind, ids) in (ReadOnlySpan<(EventKind, long[])>)[
            (EventKind.Chat, [.. rows.SelectMany(r => r.Chat)]),
            (EventKind.Gift, [.. rows.SelectMany(r => r.Gifts)]),
            (EventKind.AdminAction, [.. rows.SelectMany(r => r.Actions)])])
        {
            if (ids.Length > 0)
            {
                tables.Find(kind, ids, null, events);
            }
        }

        return events;
    }

    /// <summary>A fan-out row: the other instances' events it announces (<see cref="Ids"/> ascending, all kinds).</summary>
    private sealed record Row(long Seq, List<long> Ids, long[] Chat, long[] Gifts, long[] Actions, double LagMs);
}
