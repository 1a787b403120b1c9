using Microsoft.Extensions.Logging;
using SafeStream.Storage.Database;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Journal;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Locking;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Modes;

/// <summary>
/// The <see cref="IStorage"/> the service uses: it forwards every call to the mode in force and owns the stores,
/// the journal and the replayer (see <see cref="StorageStack"/>). A mode change takes effect for the next call; a
/// change to <see cref="StorageMode.DatabaseOnly"/> waits until the journal is replayed.
/// </summary>
internal sealed partial class StorageRouter : IStorage, IStorageStatus, IStorageTools, IAsyncDisposable
{
    private readonly StorageStack _stack;
    private readonly Dictionary<StorageMode, IStorage> _modes;
    private readonly Lock _modeLock = new();
    private readonly ILogger _logger;
    private volatile IStorage _active;
    private StorageMode _requested;
    private StorageMode _activeMode;
    private string? _pendingReason;
    private ServerSeat? _seat;

    internal StorageRouter(StorageStack stack, StorageMode mode)
    {
        _stack = stack;
        _logger = stack.Logger;
        _modes = stack.Modes();
        _requested = mode;
        _activeMode = mode == StorageMode.DatabaseOnly ? StorageMode.DatabaseFirst : mode;
        _active = _modes[_activeMode];
        Reevaluate();
    }

    /// <summary>Raised after the mode in force changed (with the new mode).</summary>
    public event Action<StorageMode>? ModeChanged;

    public JournalReplayer Replayer => _stack.Replayer;

    /// <summary>Asked for when a replay round should not wait for its interval (the hosted service awaits it).</summary>
    public ReplaySignal ReplayRequests => _stack.ReplayRequests;

    public SpillJournal Journal => _stack.Spill.Journal;

    public DbStore Db => _stack.Db.Store;

    public DatabaseGate Gate => _stack.Db;

    public ShadowCounters Shadow => _stack.Shadow;

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
                    _stack.Db.State.ToString(),
                    Journal.Backlog,
                    Replayer.LastReplayAt,
                    Replayer.LastReplayCount,
                    _activeMode == StorageMode.DatabaseFirst && _stack.Db.Status.ReadingFromFiles,
                    Shadow.WriteErrors,
                    Shadow.Reads,
                    Shadow.Mismatches,
                    Db.IdConflicts,
                    _stack.Db.Status.LastError)
                {
                    ReplayedRecords = Replayer.ReplayedTotal,
                    Provider = Db.Provider,
                };
            }
        }
    }

    /// <summary>
    /// Builds the whole stack (files, database, journal, gate) from options; the router owns and disposes it. A
    /// server may create the database on a first start; a tool never does. Ids continue past every id the stores
    /// it writes hold (the database's are added once it answers).
    /// </summary>
    public static StorageRouter Create(StorageOptions options, EventIdGenerator ids, TimeProvider time, ILoggerFactory loggers, StorageRole role = StorageRole.Server) =>
        new(StorageStack.Build(options, ids, time, loggers, role), options.Mode);

    /// <summary>
    /// Takes the journal folder for this process (a server does so at start, a tool only when it must spill).
    /// Fails with a message naming the folder and its owner when another live process holds it.
    /// </summary>
    public void ClaimJournal()
    {
        if (!_stack.Spill.Retired)
        {
            Journal.Claim();
        }
    }

    /// <summary>Gets the database ready before the service listens; an outage is noted, not thrown, where the mode can serve without it.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_modeLock)
        {
            // Retired legacy files leave no file mode to guard, and no folder should be made for the lock.
            _seat ??= _stack.Spill.Retired ? null : ServerSeat.Take(ServerSeat.PathFor(_stack.Files.LogsPath), _activeMode, _stack.Time);
        }

        ClaimJournal();
        if (ActiveMode == StorageMode.JsonlOnly)
        {
            return;
        }

        try
        {
            await Replayer.WarmUpAsync(cancellationToken);
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex) && ex is not DatabaseMissingException)
        {
            _stack.Db.Status.Failed(ex);
            LogNotReadyAtStart(_logger, ex.Message);
        }
    }

    /// <summary>One replay round, then the requested mode is applied if the journal it waited for is empty now.</summary>
    public async Task<long> ReplayAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await Replayer.ReplayAsync(cancellationToken);
        }
        finally
        {
            Reevaluate();
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

    public async ValueTask DisposeAsync()
    {
        await _stack.DisposeAsync();
        _seat?.Dispose();
    }

    private string? UnsafeBecause(StorageMode mode)
    {
        if (_stack.Spill.Retired && mode != StorageMode.DatabaseOnly)
        {
            return "Storage:LegacyRetired is set: the legacy files are retired, only DatabaseOnly applies";
        }

        if (_seat?.Change(mode) is { } seated)
        {
            return seated;
        }

        var backlog = Journal.Backlog;
        return mode == StorageMode.DatabaseOnly && backlog > 0
            ? $"{backlog} journalled records still wait to be replayed into the database; DatabaseOnly applies once they are in (breaker {_stack.Db.State})"
            : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage mode requested: {From} -> {To}")]
    private static partial void LogModeRequested(ILogger logger, StorageMode from, StorageMode to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage mode change to {Requested} refused, staying in {Active}: {Reason}")]
    private static partial void LogModeRefused(ILogger logger, StorageMode requested, StorageMode active, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage mode in force: {From} -> {To}")]
    private static partial void LogModeChanged(ILogger logger, StorageMode from, StorageMode to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database is not ready at start ({Reason}); serving from the files where the mode allows and retrying")]
    private static partial void LogNotReadyAtStart(ILogger logger, string reason);
}
