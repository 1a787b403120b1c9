using Microsoft.Extensions.DependencyInjection;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Tests.Support;

/// <summary>
/// The server's real storage, with its next reconnect backlog read (a message query after an id) held twice: before
/// it reads, and after it read but before it answers. A test sends messages in each pause, so they are stored while the
/// reconnecting socket's backlog is being read, deterministically.
/// </summary>
public sealed class PausedBacklog
{
    private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _read = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _goRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _goAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _paused;

    /// <summary>Done once the backlog read has started and waits for <see cref="LetItRead"/>.</summary>
    public Task Reading => _reading.Task;

    /// <summary>Done once the backlog was read and waits for <see cref="LetItAnswer"/>.</summary>
    public Task Read => _read.Task;

    public void LetItRead() => _goRead.TrySetResult();

    public void LetItAnswer() => _goAnswer.TrySetResult();

    /// <summary>Wraps the <see cref="IStorage"/> the server registered.</summary>
    public void Install(IServiceCollection services)
    {
        var real = services.Last(d => d.ServiceType == typeof(IStorage));
        services.AddSingleton<IStorage>(sp => new Storage(this, (IStorage)real.ImplementationFactory!(sp)));
    }

    private async Task<IReadOnlyList<ChatMessage>> ReadAsync(IStorage inner, MessageQuery query, CancellationToken cancellationToken)
    {
        if (query.AfterId is null || Interlocked.Exchange(ref _paused, 1) == 1)
        {
            return await inner.RecentMessagesAsync(query, cancellationToken);
        }

        _reading.TrySetResult();
        await _goRead.Task.WaitAsync(cancellationToken);
        var messages = await inner.RecentMessagesAsync(query, cancellationToken);
        _read.TrySetResult();
        await _goAnswer.Task.WaitAsync(cancellationToken);
        return messages;
    }

    private sealed class Storage(PausedBacklog pause, IStorage inner) : IStorage
    {
        public Task<IReadOnlyList<ChatMessage>> RecentMessagesAsync(MessageQuery query, CancellationToken cancellationToken = default) =>
            pause.ReadAsync(inner, query, cancellationToken);

        public Task<CreateUserResult> CreateUserAsync(User user, CancellationToken cancellationToken = default) => inner.CreateUserAsync(user, cancellationToken);

        public Task<User?> FindUserAsync(string username, CancellationToken cancellationToken = default) => inner.FindUserAsync(username, cancellationToken);

        public Task<User?> UpdateUserAsync(string username, UserPatch patch, CancellationToken cancellationToken = default) =>
            inner.UpdateUserAsync(username, patch, cancellationToken);

        public Task AppendAsync(IReadOnlyList<StorageEvent> events, CancellationToken cancellationToken = default) => inner.AppendAsync(events, cancellationToken);

        public Task<IReadOnlyList<Gift>> RecentGiftsAsync(int limit, CancellationToken cancellationToken = default) => inner.RecentGiftsAsync(limit, cancellationToken);

        public Task<IReadOnlyList<AdminAction>> RecentAdminActionsAsync(int limit, CancellationToken cancellationToken = default) =>
            inner.RecentAdminActionsAsync(limit, cancellationToken);

        public Task<StorageCounts> CountAsync(DateTimeOffset? since, int topGifters = 10, CancellationToken cancellationToken = default) =>
            inner.CountAsync(since, topGifters, cancellationToken);

        public Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default) => inner.GetSettingAsync(key, cancellationToken);

        public Task SetSettingAsync(string key, string value, CancellationToken cancellationToken = default) => inner.SetSettingAsync(key, value, cancellationToken);
    }
}
