using SafeStream.Storage.Database;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Modes;

/// <summary>Phases E and F: the database and nothing else. A database failure reaches the caller; nothing is diverted.</summary>
internal sealed class DatabaseOnlyStorage(DatabaseGate db) : IStorage
{
    public Task<CreateUserResult> CreateUserAsync(User user, CancellationToken cancellationToken = default) =>
        CallAsync((store, ct) => store.CreateUserAsync(user, ct), cancellationToken);

    public Task<User?> FindUserAsync(string username, CancellationToken cancellationToken = default) =>
        CallAsync((store, ct) => store.FindUserAsync(username, ct), cancellationToken);

    public Task<User?> UpdateUserAsync(string username, UserPatch patch, CancellationToken cancellationToken = default) =>
        CallAsync((store, ct) => store.UpdateUserAsync(username, patch, ct), cancellationToken);

    public Task AppendAsync(IReadOnlyList<StorageEvent> events, CancellationToken cancellationToken = default) =>
        CallAsync(async (store, ct) =>
        {
            await store.AppendAsync(events, ct);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<ChatMessage>> RecentMessagesAsync(MessageQuery query, CancellationToken cancellationToken = default) =>
        CallAsync((store, ct) => store.RecentMessagesAsync(query, ct), cancellationToken);

    public Task<IReadOnlyList<Gift>> RecentGiftsAsync(int limit, CancellationToken cancellationToken = default) =>
        CallAsync((store, ct) => store.RecentGiftsAsync(limit, ct), cancellationToken);

    public Task<IReadOnlyList<AdminAction>> RecentAdminActionsAsync(int limit, CancellationToken cancellationToken = default) =>
        CallAsync((store, ct) => store.RecentAdminActionsAsync(limit, ct), cancellationToken);

    public Task<StorageCounts> CountAsync(DateTimeOffset? since, int topGifters = 10, CancellationToken cancellationToken = default) =>
        CallAsync((store, ct) => store.CountAsync(since, topGifters, ct), cancellationToken);

    public Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default) =>
        CallAsync((store, ct) => store.GetSettingAsync(key, ct), cancellationToken);

    public Task SetSettingAsync(string key, string value, CancellationToken cancellationToken = default) =>
        CallAsync(async (store, ct) =>
        {
            await store.SetSettingAsync(key, value, ct);
            return true;
        }, cancellationToken);

    private async Task<T> CallAsync<T>(Func<DbStore, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await db.CallAsync(call, cancellationToken);
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex))
        {
            db.Status.Failed(ex);
            throw new StorageUnavailableException($"The database is unavailable: {ex.Message}", ex);
        }
    }
}
