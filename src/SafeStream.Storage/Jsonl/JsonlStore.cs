using Microsoft.Extensions.Logging;
using SafeStream.Storage.Locking;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Jsonl;

/// <summary>
/// The legacy file store: <c>users.json</c>, <c>logs/chat_*.jsonl</c> and <c>settings.json</c>, read and written
/// in the legacy formats. Any file failure is a <see cref="StorageUnavailableException"/> naming the file.
/// Other processes change these files too (the tools, another instance, an operator), so every change of
/// <c>users.json</c> or <c>settings.json</c> reads the file again under a lock they share, and log appends are locked.
/// </summary>
internal sealed partial class JsonlStore : IStorage, IDisposable
{
    private readonly string _usersPath;
    private readonly string _settingsPath;
    private readonly LegacyLogWriter _writer;
    private readonly FileIndex _index;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly CrossProcessLock _usersLock;
    private readonly CrossProcessLock _settingsLock;
    private Dictionary<string, User>? _users;
    private FileStamp _usersStamp;
    private Dictionary<string, string>? _settings;
    private FileStamp _settingsStamp;

    public JsonlStore(StorageOptions options, TimeProvider time, ILogger<JsonlStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _usersPath = options.ResolvedUsersFile;
        _settingsPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(_usersPath))!, "settings.json");
        _usersLock = new CrossProcessLock(UsersFile.LockPath(_usersPath));
        _settingsLock = new CrossProcessLock(_settingsPath + ".lock");
        LogsPath = options.ResolvedLogsPath;
        _time = time;
        _logger = logger;
        _writer = new LegacyLogWriter(
            LogsPath,
            DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime),
            options.LogMaxBytes,
            options.LogBackups,
            options.Fsync,
            options.FsyncIntervalMs,
            time);
        _index = new FileIndex(() => LegacyLogReader.Events(LogsPath, ReportSkipped));
    }

    public string LogsPath { get; }

    public Task<CreateUserResult> CreateUserAsync(User user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Task.FromResult(ChangeUsers(users =>
        {
            if (users.ContainsKey(user.Username))
            {
                return (CreateUserResult.UsernameTaken, null);
            }

            return (CreateUserResult.Created, user);
        }));
    }

    public Task<User?> FindUserAsync(string username, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(Users().GetValueOrDefault(username));
        }
    }

    public Task<User?> UpdateUserAsync(string username, UserPatch patch, CancellationToken cancellationToken = default) =>
        Task.FromResult(ChangeUsers<User?>(users =>
        {
            if (!users.TryGetValue(username, out var user))
            {
                return ((User?)null, null);
            }

            var updated = user.Apply(patch, _time.GetUtcNow());
            return (updated, updated);
        }));

    public async Task AppendAsync(IReadOnlyList<StorageEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        try
        {
            await Guard(_writer.CurrentPath, () => _writer.AppendAsync(events));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"{_writer.CurrentPath}: {ex.Message}", ex);
        }

        _index.Add(events);
    }

    public Task<IReadOnlyList<ChatMessage>> RecentMessagesAsync(MessageQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult(Guard(LogsPath, () => _index.Messages(query)));

    public Task<IReadOnlyList<Gift>> RecentGiftsAsync(int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult(Guard(LogsPath, () => _index.Gifts(limit)));

    public Task<IReadOnlyList<AdminAction>> RecentAdminActionsAsync(int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult(Guard(LogsPath, () => _index.Actions(limit)));

    public Task<StorageCounts> CountAsync(DateTimeOffset? since, int topGifters = 10, CancellationToken cancellationToken = default) =>
        Task.FromResult(Guard(LogsPath, () => _index.Count(since, topGifters)));

    public Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(Settings().GetValueOrDefault(key));
        }
    }

    public Task SetSettingAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            Guard(_settingsPath, () =>
            {
                using var held = _settingsLock.Hold();
                var settings = new Dictionary<string, string>(Settings(), StringComparer.Ordinal) { [key] = value };
                SettingsFile.Save(_settingsPath, settings);
                (_settings, _settingsStamp) = (settings, NativeFile.Stamp(_settingsPath));
            });
            return Task.CompletedTask;
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        _usersLock.Dispose();
        _settingsLock.Dispose();
    }

    /// <summary>
    /// A read-modify-write of users.json under the lock every process takes for it, on the file as it is now:
    /// <paramref name="change"/> answers the result and the account to write, or null to write nothing.
    /// </summary>
    private T ChangeUsers<T>(Func<Dictionary<string, User>, (T Result, User? Write)> change)
    {
        lock (_lock)
        {
            return Guard(_usersPath, () =>
            {
                using var held = _usersLock.Hold();
                var users = Users();
                var (result, write) = change(users);
                if (write is not null)
                {
                    var next = new Dictionary<string, User>(users, StringComparer.Ordinal) { [write.Username] = write };
                    UsersFile.Save(_usersPath, next.Values);
                    (_users, _usersStamp) = (next, NativeFile.Stamp(_usersPath));
                }

                return result;
            });
        }
    }

    /// <summary>The users, read again whenever the file changed on disk (another process may replace it).</summary>
    private Dictionary<string, User> Users()
    {
        var stamp = NativeFile.Stamp(_usersPath);
        if (_users is null || stamp != _usersStamp)
        {
            _users = Guard(_usersPath, () => UsersFile.Load(_usersPath));
            _usersStamp = stamp;
        }

        return _users;
    }

    private Dictionary<string, string> Settings()
    {
        var stamp = NativeFile.Stamp(_settingsPath);
        if (_settings is null || stamp != _settingsStamp)
        {
            _settings = Guard(_settingsPath, () => SettingsFile.Load(_settingsPath));
            _settingsStamp = stamp;
        }

        return _settings;
    }

    private void ReportSkipped(LogLine line) => LogSkippedLine(_logger, line.File, line.LineNumber, line.Error);

    private static void Guard(string path, Action action) => Guard(path, () =>
    {
        action();
        return true;
    });

    private static T Guard<T>(string path, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (StorageUnavailableException)
        {
            throw;
        }
        catch (CorruptFileException ex)
        {
            throw new StorageUnavailableException(ex.Message, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"{path}: {ex.Message}", ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped {File} line {Line}: {Reason}")]
    private static partial void LogSkippedLine(ILogger logger, string file, long line, string? reason);
}
