using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafeStream.Storage.Database;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Model;
using SafeStream.Storage.Modes;

namespace SafeStream.Storage.Retention;

/// <summary>
/// One retention run over the storage of the active mode: the database (every mode but <c>JsonlOnly</c>) and the legacy
/// logs the file modes write (<c>JsonlOnly</c>, <c>DualWrite</c>). Admin actions are never pruned. A run raises the
/// database's floor first, then deletes in batches of <c>Retention:BatchSize</c> with <c>Retention:PauseMs</c> between,
/// and is recorded as an admin action by <see cref="Actor"/> with its counts. One run at a time across processes.
/// </summary>
public sealed partial class Pruner
{
    /// <summary>Who records each run in the admin actions.</summary>
    public const string Actor = "system:retention";

    public const string Action = "retention";

    /// <summary>The longest a delete batch should hold the writer up: a fifth of the default append budget (100 ms).</summary>
    private static readonly TimeSpan MaxBatchTime = TimeSpan.FromMilliseconds(20);

    private const int MinBatch = 100;

    private readonly StorageRouter _router;
    private readonly StorageOptions _storage;
    private readonly IOptionsMonitor<RetentionOptions> _options;
    private readonly EventIdGenerator _ids;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private RetentionOptions? _lastValid;

    internal Pruner(StorageRouter router, StorageOptions storage, IOptionsMonitor<RetentionOptions> options, EventIdGenerator ids, TimeProvider time, ILogger<Pruner> logger)
    {
        _router = router;
        _storage = storage;
        _options = options;
        _ids = ids;
        _time = time;
        _logger = logger;
    }

    /// <summary>The options in force: a reloaded section that fails validation is logged and the last valid one kept.</summary>
    public RetentionOptions Options
    {
        get
        {
            try
            {
                return _lastValid = _options.CurrentValue;
            }
            catch (OptionsValidationException ex) when (_lastValid is not null)
            {
                LogInvalidReload(_logger, string.Join("; ", ex.Failures));
                return _lastValid;
            }
        }
    }

    /// <summary>Runs retention now. <paramref name="dryRun"/> changes nothing and counts what a run would remove.</summary>
    /// <exception cref="RetentionBusyException">Another process is running retention on this storage.</exception>
    /// <exception cref="StorageUnavailableException">The database could not be reached.</exception>
    public async Task<PruneReport> RunAsync(bool dryRun, CancellationToken cancellationToken = default) =>
        await RunLockedAsync(dryRun, due: null, cancellationToken) ?? throw new InvalidOperationException("unreachable");

    /// <summary>The daily run due at <paramref name="due"/>: null when another process holds the run or already ran it.</summary>
    internal Task<PruneReport?> RunScheduledAsync(DateTimeOffset due, CancellationToken cancellationToken) => RunLockedAsync(dryRun: false, due, cancellationToken);

    private async Task<PruneReport?> RunLockedAsync(bool dryRun, DateTimeOffset? due, CancellationToken cancellationToken)
    {
        var mode = _router.ActiveMode;
        var database = mode == StorageMode.JsonlOnly ? null : new DatabasePruner(_router.Db.Dialect);
        try
        {
            if (database is not null)
            {
                await _router.Db.EnsureReadyAsync(cancellationToken);
            }

            using var held = await RunLock.TryTakeAsync(database is null ? null : _router.Db.Dialect, _storage.ResolvedLogsPath, cancellationToken);
            if (held is null)
            {
                return due is null ? throw new RetentionBusyException("Another process is running retention on this storage right now; try again when it is done.") : null;
            }

            if (due is { } scheduled && database is not null && await database.LastRunAsync(cancellationToken) >= scheduled)
            {
                return null; // another instance ran it already
            }

            return await RunAsync(mode, database, dryRun, cancellationToken);
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex) && ex is not StorageUnavailableException)
        {
            throw new StorageUnavailableException($"The database is unavailable: {ex.Message}", ex);
        }
    }

    private async Task<PruneReport> RunAsync(StorageMode mode, DatabasePruner? database, bool dryRun, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var options = Options;
        var at = _time.GetUtcNow();
        var horizon = options.HorizonAt(at);
        long chat = 0, gifts = 0;
        if (database is not null)
        {
            // Below a floor raised by an earlier run nothing may stay, even if the configured days grew since.
            var target = (await database.FloorAsync(cancellationToken)).Max(horizon);
            if (!dryRun && !horizon.IsNone)
            {
                await database.RaiseFloorAsync(horizon, at, cancellationToken);
            }

            chat = await PruneAsync(database, EventKind.Chat, target.Chat, dryRun, options, cancellationToken);
            gifts = await PruneAsync(database, EventKind.Gift, target.Gifts, dryRun, options, cancellationToken);
        }

        var logs = mode is StorageMode.JsonlOnly or StorageMode.DualWrite
            ? LegacyLogPruner.Run(_storage.ResolvedLogsPath, horizon, dryRun, cancellationToken)
            : new LogPruneCounts(0, 0, 0);

        long? recordId = null;
        if (!dryRun && options.Enabled)
        {
            var details = JsonSerializer.Serialize(new RunDetails(chat, gifts, logs.Chat, logs.Gifts, horizon.Chat, horizon.Gifts), RetentionJsonContext.Default.RunDetails);
            var record = new AdminAction(_ids.Next(), Actor, Action, null, details, at);
            await _router.AppendAsync([record], cancellationToken);
            recordId = record.Id;
            LogRun(_logger, chat, gifts, logs.Chat, logs.Gifts, horizon.Chat, horizon.Gifts);
        }

        return new PruneReport(
            dryRun,
            options.Enabled,
            mode.ToString(),
            at,
            [new("chat", horizon.Chat, chat, logs.Chat), new("gifts", horizon.Gifts, gifts, logs.Gifts), new("admin_actions", null, 0, 0)],
            logs.Files,
            clock.Elapsed.TotalSeconds,
            recordId);
    }

    private async Task<long> PruneAsync(DatabasePruner database, EventKind kind, DateTimeOffset? before, bool dryRun, RetentionOptions options, CancellationToken cancellationToken)
    {
        if (before is not { } b)
        {
            return 0;
        }

        if (dryRun)
        {
            return await database.CountOlderAsync(kind, b, cancellationToken);
        }

        long deleted = 0;
        var size = options.BatchSize;
        while (true)
        {
            var started = _time.GetTimestamp();
            var batch = await database.DeleteBatchAsync(kind, b, size, cancellationToken);
            deleted += batch;
            if (batch < size)
            {
                return deleted; // the floor keeps new rows below it out, so a short batch was the last
            }

            // The chat writer waits for a batch (SQLite's one write lock; the rows' locks on PostgreSQL): a batch that
            // took longer than a fifth of the append budget is halved, one well within it grows back to BatchSize.
            var took = _time.GetElapsedTime(started);
            size = took > MaxBatchTime ? Math.Max(Math.Min(MinBatch, options.BatchSize), size / 2) : took < MaxBatchTime / 4 ? Math.Min(options.BatchSize, size * 2) : size;

            if (options.PauseMs > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(options.PauseMs), _time, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention removed {Chat} chat messages and {Gifts} gifts from the database, {LogChat} chat and {LogGifts} gift lines from the legacy logs (chat before {ChatBefore}, gifts before {GiftsBefore})")]
    private static partial void LogRun(ILogger logger, long chat, long gifts, long logChat, long logGifts, DateTimeOffset? chatBefore, DateTimeOffset? giftsBefore);

    [LoggerMessage(Level = LogLevel.Error, Message = "The reloaded Retention section is invalid and was ignored; the last valid one stays in force: {Failures}")]
    private static partial void LogInvalidReload(ILogger logger, string failures);
}

/// <summary>Another process is running retention on the same storage.</summary>
public sealed class RetentionBusyException(string message) : Exception(message);
