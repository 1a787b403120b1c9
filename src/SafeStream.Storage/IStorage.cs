using SafeStream.Storage.Model;

namespace SafeStream.Storage;

/// <summary>
/// The only way the service touches data. Every implementation (legacy files, database, and the mode router over
/// both) passes the same contract suite, so a caller cannot tell which mode is active.
/// </summary>
/// <remarks>
/// Writes complete only once durable (committed in the database, or appended and flushed to a file). A store that
/// cannot honour a call throws <see cref="StorageUnavailableException"/>; a duplicate username is an answer, not a failure.
/// </remarks>
public interface IStorage
{
    /// <summary>Registers <paramref name="user"/> unless the username is taken in any store the mode consults.</summary>
    Task<CreateUserResult> CreateUserAsync(User user, CancellationToken cancellationToken = default);

    /// <summary>The account with exactly this username, or null.</summary>
    Task<User?> FindUserAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>Applies <paramref name="patch"/> and answers the updated account, or null when there is no such user.</summary>
    Task<User?> UpdateUserAsync(string username, UserPatch patch, CancellationToken cancellationToken = default);

    /// <summary>Stores events that already carry their ids. Storing an id that is already stored is a no-op.</summary>
    Task AppendAsync(IReadOnlyList<StorageEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Chat messages matching <paramref name="query"/>, newest first.</summary>
    Task<IReadOnlyList<ChatMessage>> RecentMessagesAsync(MessageQuery query, CancellationToken cancellationToken = default);

    /// <summary>The latest gifts, newest first.</summary>
    Task<IReadOnlyList<Gift>> RecentGiftsAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>The latest moderator actions, newest first.</summary>
    Task<IReadOnlyList<AdminAction>> RecentAdminActionsAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>Totals of events at or after <paramref name="since"/> (all events when null), with the top gifters by amount.</summary>
    Task<StorageCounts> CountAsync(DateTimeOffset? since, int topGifters = 10, CancellationToken cancellationToken = default);

    /// <summary>A stored setting (see <see cref="SettingKeys"/>), or null when never set.</summary>
    Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default);

    Task SetSettingAsync(string key, string value, CancellationToken cancellationToken = default);
}

/// <summary>Storage status for health endpoints and the dashboard.</summary>
public interface IStorageStatus
{
    StorageStatus Current { get; }
}

/// <summary>What a one-off tool (the admin command line) needs beyond <see cref="IStorage"/>.</summary>
public interface IStorageTools
{
    /// <summary>
    /// The one call a tool makes before it uses <see cref="IStorage"/>: gets the database side ready (schema, usernames,
    /// id seed), unless the mode uses the files only. An outage is a <see cref="StorageUnavailableException"/>; the tool
    /// may still work where the mode allows (DatabaseFirst spills into the journal only when no other process owns it).
    /// </summary>
    Task PrepareAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The usernames the active mode answers for, in ordinal order: <c>users.json</c> in the file modes, the database in
    /// <c>DatabaseOnly</c>, both in <c>DatabaseFirst</c> (which reads legacy accounts from the file). Read each account
    /// with <see cref="IStorage.FindUserAsync"/> to show what the server would answer. Not in <see cref="IStorage"/>:
    /// only an operator's tool lists every account.
    /// </summary>
    Task<IReadOnlyList<string>> ListUsernamesAsync(CancellationToken cancellationToken = default);
}
