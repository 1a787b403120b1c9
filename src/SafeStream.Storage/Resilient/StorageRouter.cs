using Microsoft.Extensions.Logging;
using SafeStream.Storage.Database;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Journal;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Resilient;

/// <summary>
/// The <see cref="IStorage"/> the service uses: it forwards every call to the mode in force and owns the stores,
/// the journal and the replayer. A mode change takes effect for the next call; a change to
/// <see cref="StorageMode.DatabaseOnly"/> waits until the journal is replayed.
/// </summary>
public sealed partial class StorageRouter : IStorage, IStorageStatus, IStoragePreparation, IAsyncDisposable
{
    private readonly RouterContext _context;
    private readonly Dictionary<StorageMode, IStorage> _modes;
    private readonly Lock _modeLock = new();
    private readonly ILogger _logger;
    private volatile IStorage _active;
    private StorageMode _requested;
    private StorageMode _activeMode;
    private string? _pendingReason;
    private readonly bool _legacyRetired;

    internal StorageRouter(RouterContext context, StorageMode mode, EventIdGenerator ids, int replayBatchSize, TimeSpan startupTimeout, bool legacyRetired = false)
    {
        _legacyRetired = legacyRetired;
        _context = context;
        _logger = context.Logger;
        _modes = new Dictionary<StorageMode, IStorage>
        {
            [StorageMode.JsonlOnly] = context.Files,
            [StorageMode.DualWrite] = new DualWriteStorage(context),
            [StorageMode.DatabaseFirst] = new DatabaseFirstStorage(context),
            [StorageMode.DatabaseOnly] = new DatabaseOnlyStorage(context),
        };
        Replayer = new JournalReplayer(context, ids, replayBatchSize, startupTimeout, Reevaluate);
        _requested = mode;
        _activeMode = mode == StorageMode.DatabaseOnly ? StorageMode.DatabaseFirst : mode;
        _active = _modes[_activeMode];
        Reevaluate();
    }

    /// <summary>Raised after the mode in force changed (with the new mode).</summary>
    public event Action<StorageMode>? ModeChanged;

    public JournalReplayer Replayer { get; }

    internal RouterContext Context => _context;

    public StorageMode ActiveMode => _activeMode;

    public StorageStatus Current
    {
        get
        {
            lock (_modeLock)
            {
                return new StorageStatus(
                    _requested,
                    _activeMode,
                    _pendingReason,
                    _context.Gate.State.ToString(),
                    _context.Journal.Backlog,
                    Replayer.LastReplayAt,
                    Replayer.LastReplayCount,
                    _activeMode == StorageMode.DatabaseFirst && _context.ReadingFromFiles,
                    _context.DualWriteErrors,
                    _context.ShadowReads,
                    _context.ShadowMismatches,
                    _context.Db.IdConflicts,
                    _context.LastError);
            }
        }
    }

    /// <summary>
    /// Builds the whole stack (files, database, journal, gate) from options; the router owns and disposes it. A
    /// server may create the database on a first start; a tool never does. Ids continue past every id the stores
    /// it writes hold (the database's are added once it answers).
    /// </summary>
    public static StorageRouter Create(StorageOptions options, EventIdGenerator ids, TimeProvider time, ILoggerFactory loggers, StorageRole role = StorageRole.Server)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(loggers);
        var logger = loggers.CreateLogger<StorageRouter>();
        var files = new JsonlStore(options, time, loggers.CreateLogger<JsonlStore>());
        var db = DbStore.CreateSqlite(options, time, loggers.CreateLogger<DbStore>(), role == StorageRole.Server ? DatabaseCreation.OnFirstStart : DatabaseCreation.Never);
        var journal = new SpillJournal(options.ResolvedJournalPath, options.Fsync, options.FsyncIntervalMs, time, loggers.CreateLogger<SpillJournal>());
        var gate = DatabaseGate.Create(options.Resilience, time, loggers.CreateLogger<DatabaseGate>());
        gate.Recovered += db.ResetConnections;
        ids.AdvancePast(journal.MaxEventId());
        ids.AdvancePast(LogFiles.OldestFirst(options.ResolvedLogsPath).Select(f => LegacyLogReader.MaxIdInTail(f)).DefaultIfEmpty(0).Max());
        var context = new RouterContext(files, db, gate, journal, time, logger, TimeSpan.FromMilliseconds(options.Resilience.AppendBudgetMs), options.LegacyRetired);
        ids.ReservationFailed += ex =>
        {
            context.Failed(ex);
            LogReservationFailed(logger, ex.Message);
        };
        return new StorageRouter(context, options.Mode, ids, options.ReplayBatchSize, TimeSpan.FromMilliseconds(options.Resilience.StartupTimeoutMs), options.LegacyRetired);
    }

    /// <summary>
    /// Takes the journal folder for this process (a server does so at start, a tool only when it must spill).
    /// Fails with a message naming the folder and its owner when another live process holds it.
    /// </summary>
    public void ClaimJournal()
    {
        if (!_legacyRetired)
        {
            _context.Journal.Claim();
        }
    }

    public async Task PrepareAsync(CancellationToken cancellationToken = default)
    {
        if (ActiveMode == StorageMode.JsonlOnly)
        {
            return;
        }

        try
        {
            await Replayer.WarmUpAsync(cancellationToken);
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex))
        {
            _context.Failed(ex);
            if (ActiveMode != StorageMode.DatabaseFirst || ex is DatabaseMissingException)
            {
                throw new StorageUnavailableException($"The database is unavailable: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Asks for a mode (from configuration). Applied now when safe, otherwise once it is.</summary>
    public void RequestMode(StorageMode mode)
    {
        lock (_modeLock)
        {
            if (mode == _requested)
            {
                return;
            }

            LogModeRequested(_logger, _requested, mode);
            _requested = mode;
        }

        Reevaluate();
    }

    /// <summary>Applies the requested mode if it is safe now (called again after every replay).</summary>
    public void Reevaluate()
    {
        StorageMode? changed = null;
        lock (_modeLock)
        {
            var reason = UnsafeBecause(_requested);
            if (reason is not null)
            {
                if (reason != _pendingReason)
                {
                    LogModeRefused(_logger, _requested, _activeMode, reason);
                }

                _pendingReason = reason;
                return;
            }

            _pendingReason = null;
            if (_requested != _activeMode)
            {
                LogModeChanged(_logger, _activeMode, _requested);
                _activeMode = _requested;
                _active = _modes[_activeMode];
                changed = _activeMode;
            }
        }

        if (changed is { } mode)
        {
            ModeChanged?.Invoke(mode);
        }
    }

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

    public async ValueTask DisposeAsync()
    {
        Replayer.Dispose();
        await _context.Db.DisposeAsync();
        _context.Journal.Dispose();
        _context.Files.Dispose();
    }

    private string? UnsafeBecause(StorageMode mode)
    {
        if (_legacyRetired && mode != StorageMode.DatabaseOnly)
        {
            return "Storage:LegacyRetired is set: the legacy files are retired, only DatabaseOnly applies";
        }

        var backlog = _context.Journal.Backlog;
        return mode == StorageMode.DatabaseOnly && backlog > 0
            ? $"{backlog} journalled records still wait to be replayed into the database; DatabaseOnly applies once they are in (breaker {_context.Gate.State})"
            : null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The event id high-water mark could not be saved ({Reason}); ids stay unique while this process runs, but a restart with the clock set back could repeat some")]
    private static partial void LogReservationFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage mode requested: {From} -> {To}")]
    private static partial void LogModeRequested(ILogger logger, StorageMode from, StorageMode to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage mode change to {Requested} refused, staying in {Active}: {Reason}")]
    private static partial void LogModeRefused(ILogger logger, StorageMode requested, StorageMode active, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage mode in force: {From} -> {To}")]
    private static partial void LogModeChanged(ILogger logger, StorageMode from, StorageMode to);
}
