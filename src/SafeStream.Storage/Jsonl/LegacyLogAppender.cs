using SafeStream.Storage.Model;

namespace SafeStream.Storage.Jsonl;

/// <summary>
/// Appends events to the legacy log of one date as the server does (legacy format with ids, rotation, the shared
/// append lock, fsync), for the tools that write logs outside <see cref="IStorage"/> (export).
/// </summary>
public sealed class LegacyLogAppender(StorageOptions options, DateOnly date) : IDisposable
{
    private readonly LegacyLogWriter _writer = new(
        (options ?? throw new ArgumentNullException(nameof(options))).ResolvedLogsPath,
        date,
        options.LogMaxBytes,
        options.LogBackups,
        FsyncPolicy.EveryWrite,
        options.FsyncIntervalMs,
        TimeProvider.System);

    /// <summary>The log file written to (rotation may move what was written to its <c>.1</c>).</summary>
    public string Path => _writer.CurrentPath;

    /// <summary>Appends the events, one line each, and completes once they are on disk.</summary>
    public Task AppendAsync(IReadOnlyList<StorageEvent> events) => _writer.AppendAsync(events);

    public void Dispose() => _writer.Dispose();
}
