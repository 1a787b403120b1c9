using Microsoft.EntityFrameworkCore;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Database;

/// <summary>What a process learns of a database before it writes: the largest event id (to seed ids) and the usernames.</summary>
internal static class Inventory
{
    /// <summary>The largest event id stored, to seed the id generator after a restart.</summary>
    public static async Task<long> MaxEventIdAsync(this DbStore database, CancellationToken cancellationToken = default)
    {
        await using var context = await database.ContextAsync(cancellationToken);
        var chat = await context.ChatMessages.MaxAsync(m => (long?)m.Id, cancellationToken) ?? 0;
        var gift = await context.Gifts.MaxAsync(g => (long?)g.Id, cancellationToken) ?? 0;
        var admin = await context.AdminActions.MaxAsync(a => (long?)a.Id, cancellationToken) ?? 0;
        return Math.Max(chat, Math.Max(gift, admin));
    }

    /// <summary>The usernames of the rows after <paramref name="afterId"/> (accounts registered since, by any process), and the last row id.</summary>
    public static async Task<(IReadOnlyList<string> Names, long ThroughId)> UsernamesAfterAsync(this DbStore database, long afterId, CancellationToken cancellationToken = default)
    {
        await using var context = await database.ContextAsync(cancellationToken);
        var rows = await context.Users.AsNoTracking().Where(u => u.Id > afterId).Select(u => new { u.Id, u.Username }).ToListAsync(cancellationToken);
        return ([.. rows.Select(r => r.Username)], rows.Count == 0 ? afterId : rows.Max(r => r.Id));
    }

    /// <summary>Every event of one kind in id order, with the source key it was imported under (null for live events); streamed.</summary>
    public static IAsyncEnumerable<IEventRow> EventRows(this SafeStreamDbContext context, EventKind kind) => kind switch
    {
        EventKind.Chat => context.ChatMessages.AsNoTracking().OrderBy(m => m.Id).AsAsyncEnumerable(),
        EventKind.Gift => context.Gifts.AsNoTracking().OrderBy(g => g.Id).AsAsyncEnumerable(),
        EventKind.AdminAction => context.AdminActions.AsNoTracking().OrderBy(a => a.Id).AsAsyncEnumerable(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The ids of one kind of event, in order; streamed.</summary>
    public static IAsyncEnumerable<long> EventIds(this SafeStreamDbContext context, EventKind kind) => kind switch
    {
        EventKind.Chat => context.ChatMessages.OrderBy(m => m.Id).Select(m => m.Id).AsAsyncEnumerable(),
        EventKind.Gift => context.Gifts.OrderBy(g => g.Id).Select(g => g.Id).AsAsyncEnumerable(),
        EventKind.AdminAction => context.AdminActions.OrderBy(a => a.Id).Select(a => a.Id).AsAsyncEnumerable(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string TableOf(EventKind kind) => kind switch
    {
        EventKind.Chat => "chat_messages",
        EventKind.Gift => "gifts",
        EventKind.AdminAction => "admin_actions",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
