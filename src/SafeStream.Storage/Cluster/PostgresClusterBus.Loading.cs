using Microsoft.EntityFrameworkCore;
using Npgsql;
using SafeStream.Storage.Database;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Cluster;

/// <summary>The events behind fan-out rows, loaded by id: one query per kind for every row read at once.</summary>
internal sealed partial class PostgresClusterBus
{
    private long[] Others(long[] ids) => Array.FindAll(ids, id => EventIdGenerator.InstanceOf(id) != instance);

    private static async Task<Dictionary<long, StorageEvent>> LoadAsync(NpgsqlConnection connection, List<Row> rows, CancellationToken cancellationToken)
    {
        var chat = rows.SelectMany(r => r.Chat).ToArray();
        var gifts = rows.SelectMany(r => r.Gifts).ToArray();
        var actions = rows.SelectMany(r => r.Actions).ToArray();
        var events = new Dictionary<long, StorageEvent>(chat.Length + gifts.Length + actions.Length);
        if (chat.Length + gifts.Length + actions.Length == 0)
        {
            return events;
        }

        await using var context = new PostgresDbContext(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(connection, o => o.SetPostgresVersion(15, 0)).Options);
        if (chat.Length > 0)
        {
            foreach (var row in await context.ChatMessages.AsNoTracking().Where(m => chat.Contains(m.Id)).ToListAsync(cancellationToken))
            {
                events[row.Id] = row.ToEvent();
            }
        }

        if (gifts.Length > 0)
        {
            foreach (var row in await context.Gifts.AsNoTracking().Where(g => gifts.Contains(g.Id)).ToListAsync(cancellationToken))
            {
                events[row.Id] = row.ToEvent();
            }
        }

        if (actions.Length > 0)
        {
            foreach (var row in await context.AdminActions.AsNoTracking().Where(a => actions.Contains(a.Id)).ToListAsync(cancellationToken))
            {
                events[row.Id] = row.ToEvent();
            }
        }

        return events;
    }

    /// <summary>A fan-out row: the other instances' events it announces (<see cref="Ids"/> ascending, all kinds).</summary>
    private sealed record Row(long Seq, List<long> Ids, long[] Chat, long[] Gifts, long[] Actions, double LagMs);
}
