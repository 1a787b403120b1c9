using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Database;

/// <summary>
/// <see cref="IStorage"/> on the database alone: reads with EF Core, writes through the group-commit writer of
/// <see cref="SafeStreamDatabase"/>. The modes reach the database through this store and its gate.
/// </summary>
internal sealed class DbStore(SafeStreamDatabase database, TimeProvider time) : IStorage, IAsyncDisposable
{
    public SafeStreamDatabase Database => database;

    /// <summary>Whether this process created the database (on a first start).</summary>
    public bool Created => database.Created;

    /// <summary>Events not stored because their id was stored already with other content (each is logged).</summary>
    public long IdConflicts => database.IdConflicts;

    public string? LastConflict => database.LastConflict;

    /// <summary>Whether the writer is inside a transaction right now.</summary>
    public bool Writing => database.Writing;

    /// <inheritdoc cref="SafeStreamDatabase.Open"/>
    public static DbStore Open(StorageOptions options, TimeProvider time, ILogger<DbStore> logger, DatabaseCreation creation = DatabaseCreation.Never) =>
        new(SafeStreamDatabase.Open(options, time, logger, creation), time);

    public Task EnsureReadyAsync(CancellationToken cancellationToken = default) => database.EnsureReadyAsync(cancellationToken);

    public Task<WriteResults> ExecuteAsync(IReadOnlyList<WriteOp> ops, CancellationToken cancellationToken = default) => database.ExecuteAsync(ops, cancellationToken);

    public Task<TResult> ExecuteAsync<TResult>(WriteOp<TResult> op, CancellationToken cancellationToken = default) => database.ExecuteAsync(op, cancellationToken);

    public bool WriterStalled(TimeSpan budget) => database.WriterStalled(budget);

    public async Task<CreateUserResult> CreateUserAsync(User user, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(new CreateUser(user), cancellationToken) ? CreateUserResult.Created : CreateUserResult.UsernameTaken;

    public async Task<User?> FindUserAsync(string username, CancellationToken cancellationToken = default)
    {
        await using var context = await database.ContextAsync(cancellationToken);
        var row = await context.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Username == username, cancellationToken);
        return row?.ToUser();
    }

    public Task<User?> UpdateUserAsync(string username, UserPatch patch, CancellationToken cancellationToken = default) =>
        ExecuteAsync(new PatchUser(username, patch, time.GetUtcNow()), cancellationToken);

    /// <summary>Stores the events; one whose id is taken by another event fails the call (after the rest were stored).</summary>
    public async Task AppendAsync(IReadOnlyList<StorageEvent> events, CancellationToken cancellationToken = default)
    {
        if (await ExecuteAsync(new AppendEvents(events), cancellationToken) is { Conflicts: [var first, ..] } append)
        {
            throw new StorageUnavailableException(
                $"{append.Conflicts.Count} of {events.Count} events were not stored: id {first.Incoming.Id} (and any others) is stored already with other content",
                new IdConflictException(first.Incoming.Id));
        }
    }

    public async Task<IReadOnlyList<ChatMessage>> RecentMessagesAsync(MessageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var context = await database.ContextAsync(cancellationToken);
        var rows = await context.ChatMessages.AsNoTracking().Matching(query)
            .OrderByDescending(m => m.Ts).ThenByDescending(m => m.Id).Take(query.Limit).ToListAsync(cancellationToken);
        return [.. rows.Select(m => m.ToMessage())];
    }

    public async Task<IReadOnlyList<Gift>> RecentGiftsAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var context = await database.ContextAsync(cancellationToken);
        var rows = await context.Gifts.AsNoTracking().OrderByDescending(g => g.Ts).ThenByDescending(g => g.Id).Take(limit).ToListAsync(cancellationToken);
        return [.. rows.Select(g => g.ToGift())];
    }

    public async Task<IReadOnlyList<AdminAction>> RecentAdminActionsAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var context = await database.ContextAsync(cancellationToken);
        var rows = await context.AdminActions.AsNoTracking().OrderByDescending(a => a.Ts).ThenByDescending(a => a.Id).Take(limit).ToListAsync(cancellationToken);
        return [.. rows.Select(a => a.ToAction())];
    }

    public async Task<StorageCounts> CountAsync(DateTimeOffset? since, int topGifters = 10, CancellationToken cancellationToken = default)
    {
        await using var context = await database.ContextAsync(cancellationToken);
        return await context.CountAsync(since, topGifters, cancellationToken);
    }

    public async Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var context = await database.ContextAsync(cancellationToken);
        return await context.Settings.AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).FirstOrDefaultAsync(cancellationToken);
    }

    public Task SetSettingAsync(string key, string value, CancellationToken cancellationToken = default) =>
        ExecuteAsync(new PutSetting(key, value, time.GetUtcNow()), cancellationToken);

    public ValueTask DisposeAsync() => database.DisposeAsync();
}
