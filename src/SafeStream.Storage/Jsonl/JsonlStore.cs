using Microsoft.Extensions.Logging;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Jsonl;

/// <summary>
/// The legacy file store: <c>users.json</c>, <c>logs/chat_*.jsonl</c> and <c>settings.json</c>, read and written
/// in the legacy formats. Any file failure is a <see cref="StorageUnavailableException"/> naming the file.
/// </summary>
public sealed partial class JsonlStore : IStorage, IDisposable
{
    private readonly string _usersPath;
    private readonly string _settingsPath;
    private readonly LegacyLogWriter _writer;
    private readonly FileIndex _index;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private Dictionary<string, User>? _users;
    private (DateTime Written, long Length) _usersStamp;
    private Dictionary<string, string>? _settings;

    public JsonlStore(StorageOptions options, TimeProvider time, ILogger<JsonlStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _usersPath = options.ResolvedUsersFile;
        _settingsPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(_usersPath))!, "settings.json");
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
        lock (_lock)
        {
            var users = Users();
            if (users.ContainsKey(user.Username))
            {
                return Task.FromResult(CreateUserResult.UsernameTaken);
            }

            SaveUsers(users, user);
            return Task.FromResult(CreateUserResult.Created);
        }
    }

    public Task<User?> FindUserAsync(string username, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(Users().GetValueOrDefault(username));
        }
    }

    public Task<User?> UpdateUserAsync(string username, UserPatch patch, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var users = Users();
            if (!users.TryGetValue(username, out var user))
            {
                return Task.FromResult<User?>(null);
            }

            var updated = user.Apply(patch, _time.GetUtcNow());
            SaveUsers(users, updated);
            return Task.FromResult<User?>(updated);
        }
    }

    public Task AppendAsync(IReadOnlyList<StorageEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        Guard(_writer.CurrentPath, () => _writer.Append(events));
        _index.Add(events);
        return Task.CompletedTask;
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
            var settings = new Dictionary<string, string>(Settings(), StringComparer.Ordinal) { [key] = value };
            Guard(_settingsPath, () => SettingsFile.Save(_settingsPath, settings));
            _settings = settings;
            return Task.CompletedTask;
        }
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>The users, re-read when the file changed on disk (another tool, or an operator, may write it).</summary>
    private Dictionary<string, User> Users()
    {
        var info = new FileInfo(_usersPath);
        var stamp = info.Exists ? (info.LastWriteTimeUtc, info.Length) : default;
        if (_users is null || stamp != _usersStamp)
        {
            _users = Guard(_usersPath, () => UsersFile.Load(_usersPath));
            _usersStamp = stamp;
        }

        return _users;
    }

    private void SaveUsers(Dictionary<string, User> users, User changed)
    {
        var next = new Dictionary<string, User>(users, StringComparer.Ordinal) { [changed.Username] = changed };
        Guard(_usersPath, () => UsersFile.Save(_usersPath, next.Values));
        _users = next;
        var info = new FileInfo(_usersPath);
        _usersStamp = (info.LastWriteTimeUtc, info.Length);
    }

    private Dictionary<string, string> Settings() => _settings ??= Guard(_settingsPath, () => SettingsFile.Load(_settingsPath));

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
