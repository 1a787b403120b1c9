using Microsoft.EntityFrameworkCore;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Database;

// The reads, with EF Core on a context per call.
internal sealed partial class DbStore
{
    public async Task<User?> FindUserAsync(string username, CancellationToken cancellationToken = default)
    {
        await using var context = await ContextAsync(cancellationToken);
        var row = await context.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Username == username, cancellationToken);
        return row?.ToUser();
    }

    public async Task<IReadOnlyList<ChatMessage>> RecentMessagesAsync(MessageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var context = await ContextAsync(cancellationToken);
        var matching = context.ChatMessages.AsNoTracking().Matching(query);

        // After an id, newest is by id: the key's index answers it without sorting every row after a very old id.
        var ordered = query.AfterId is null ? matching.OrderByDescending(m => m.Ts).ThenByDescending(m => m.Id) : matching.OrderByDescending(m => m.Id);
        var rows = await ordered.Take(query.Limit).ToListAsync(cancellationToken);
        return [.. rows.Select(m => m.ToMessage())];
    }

    public async Task<IReadOnlyList<Gift>> RecentGiftsAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var context = await ContextAsync(cancellationToken);
        var rows = await context.Gifts.AsNoTracking().OrderByDescending(g => g.Ts).ThenByDescending(g => g.Id).Take(limit).ToListAsync(cancellationToken);
        return [.. rows.Select(g => g.ToGift())];
    }

    public async Task<IReadOnlyList<AdminAction>> RecentAdminActionsAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var context = await ContextAsync(cancellationToken);
        var rows = await context.AdminActions.AsNoTracking().OrderByDescending(a => a.Ts).ThenByDescending(a => a.Id).Take(limit).ToListAsync(cancellationToken);
        return [.. rows.Select(a => a.ToAction())];
    }

    public async Task<StorageCounts> CountAsync(DateTimeOffset? since, int topGifters = 10, CancellationToken cancellationToken = default)
    {
        await using var context = await ContextAsync(cancellationToken);
        return await context.CountAsync(since, topGifters, cancellationToken);
    }

    public async Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var context = await ContextAsync(cancellationToken);
        return await context.Settings.AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).FirstOrDefaultAsync(cancellationToken);
    }
}
