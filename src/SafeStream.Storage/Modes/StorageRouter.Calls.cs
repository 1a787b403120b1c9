using SafeStream.Storage.Model;

namespace SafeStream.Storage.Modes;

// Every call goes to the mode in force; each mode turns its outages into StorageUnavailableException itself.
internal sealed partial class StorageRouter
{
    public Task<CreateUserResult> CreateUserAsync(User user, CancellationToken cancellationToken = default) => _active.CreateUserAsync(user, cancellationToken);

    public Task<User?> FindUserAsync(string username, CancellationToken cancellationToken = default) => _active.FindUserAsync(username, cancellationToken);

    public Task<User?> UpdateUserAsync(string username, UserPatch patch, CancellationToken cancellationToken = default) => _active.UpdateUserAsync(username, patch, cancellationToken);

    public Task AppendAsync(IReadOnlyList<StorageEvent> events, CancellationToken cancellationToken = default) => _active.AppendAsync(events, cancellationToken);

    public Task<IReadOnlyList<ChatMessage>> RecentMessagesAsync(MessageQuery query, CancellationToken cancellationToken = default) => _active.RecentMessagesAsync(query, cancellationToken);

    public Task<IReadOnlyList<Gift>> RecentGiftsAsync(int limit, CancellationToken cancellationToken = default) => _active.RecentGiftsAsync(limit, cancellationToken);

    public Task<IReadOnlyList<AdminAction>> RecentAdminActionsAsync(int limit, CancellationToken cancellationToken = default) => _active.RecentAdminActionsAsync(limit, cancellationToken);

    public Task<StorageCounts> CountAsync(DateTimeOffset? since, int topGifters = 10, CancellationToken cancellationToken = default) => _active.CountAsync(since, topGifters, cancellationToken);

    public Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default) => _active.GetSettingAsync(key, cancellationToken);

    public Task SetSettingAsync(string key, string value, CancellationToken cancellationToken = default) => _active.SetSettingAsync(key, value, cancellationToken);
}
