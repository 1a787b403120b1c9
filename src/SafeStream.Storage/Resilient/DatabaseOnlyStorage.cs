using SafeStream.Storage.Model;

namespace SafeStream.Storage.Resilient;

/// <summary>Phases E and F: the database and nothing else. A database failure reaches the caller; nothing is diverted.</summary>
internal sealed class DatabaseOnlyStorage(RouterContext c) : IStorage
{
    public Task<CreateUserResult> CreateUserAsync(User user, CancellationToken cancellationToken = default) =>
        RunAsync(ct => c.Db.CreateUserAsync(user, ct), cancellationToken);

    public Task<User?> FindUserAsync(string username, CancellationToken cancellationToken = default) =>
        RunAsync(ct => c.Db.FindUserAsync(username, ct), cancellationToken);

    public Task<User?> UpdateUserAsync(string username, UserPatch patch, CancellationToken cancellationToken = default) =>
        RunAsync(ct => c.Db.UpdateUserAsync(username, patch, ct), cancellationToken);

    public Task AppendAsync(IReadOnlyList<StorageEvent> events, CancellationToken cancellationToken = default) =>
        RunAsync(async ct =>
        {
            await c.Db.AppendAsync(events, ct);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<ChatMessage>> RecentMessagesAsync(MessageQuery query, CancellationToken cancellationToken = default) =>
        RunAsync(ct => c.Db.RecentMessagesAsync(query, ct), cancellationToken);

    public Task<IReadOnlyList<Gift>> RecentGiftsAsync(int limit, CancellationToken cancellationToken = default) =>
        RunAsync(ct => c.Db.RecentGiftsAsync(limit, ct), cancellationToken);

    public Task<IReadOnlyList<AdminAction>> RecentAdminActionsAsync(int limit, CancellationToken cancellationToken = default) =>
        RunAsync(ct => c.Db.RecentAdminActionsAsync(limit, ct), cancellationToken);

    public Task<StorageCounts> CountAsync(DateTimeOffset? since, int topGifters = 10, CancellationToken cancellationToken = default) =>
        RunAsync(ct => c.Db.CountAsync(since, topGifters, ct), cancellationToken);

    public Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default) =>
        RunAsync(ct => c.Db.GetSettingAsync(key, ct), cancellationToken);

    public Task SetSettingAsync(string key, string value, CancellationToken cancellationToken = default) =>
        RunAsync(async ct =>
        {
            await c.Db.SetSettingAsync(key, value, ct);
            return true;
        }, cancellationToken);

    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            var result = await c.Gate.RunAsync(call, cancellationToken);
            c.DatabaseAnswered();
            return result;
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex))
        {
            c.Failed(ex);
            throw new StorageUnavailableException($"The database is unavailable: {ex.Message}", ex);
        }
    }
}
