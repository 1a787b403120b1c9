using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Database;

/// <summary>
/// The database store: reads with EF Core, writes through the group-commit <see cref="DbWriter"/>. The schema is
/// created by the committed migrations on first use, and first use is retried until it succeeds, so a database
/// that is down at start-up does not keep the service down once it is back.
/// </summary>
public sealed partial class DbStore : IStorage, IAsyncDisposable
{
    private readonly ISqlDialect _dialect;
    private readonly DbContextOptions<SafeStreamDbContext> _options;
    private readonly DbWriter _writer;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private readonly Func<string?> _whyNotCreate;
    private volatile bool _ready;
    private long _idConflicts;
    private string? _lastConflict;

    internal DbStore(ISqlDialect dialect, TimeProvider time, ILogger<DbStore> logger, Func<string?> whyNotCreate, int maxBatchRecords = 8192)
    {
        _dialect = dialect;
        _time = time;
        _logger = logger;
        _whyNotCreate = whyNotCreate;
        var builder = new DbContextOptionsBuilder<SafeStreamDbContext>();
        dialect.UseProvider(builder, create: false);
        _options = builder.Options;
        _writer = new DbWriter(dialect, maxBatchRecords, time, logger);
    }

    /// <summary>
    /// A store on the SQLite database named by <paramref name="options"/>. It creates the database only when
    /// <paramref name="creation"/> allows and this is a first start (see <see cref="FirstStart"/>); a database that
    /// is missing otherwise is a <see cref="DatabaseMissingException"/> naming its path.
    /// </summary>
    public static DbStore CreateSqlite(StorageOptions options, TimeProvider time, ILogger<DbStore> logger, DatabaseCreation creation = DatabaseCreation.Never)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new DbStore(
            new SqliteDialect(options.ConnectionString, options.Resilience.BusyTimeoutMs, options.SqliteSynchronous == SqliteSynchronous.Full),
            time,
            logger,
            creation == DatabaseCreation.OnFirstStart ? () => FirstStart.WhyNot(options) : static () => "this process never creates a database");
    }

    /// <summary>Whether this store created the database (on a first start).</summary>
    public bool Created { get; private set; }

    /// <summary>Events not stored because their id was stored already with other content (each is logged).</summary>
    public long IdConflicts => Interlocked.Read(ref _idConflicts);

    public string? LastConflict => _lastConflict;


    /// <summary>Creates or migrates the schema if that has not succeeded yet.</summary>
    public async Task EnsureReadyAsync(CancellationToken cancellationToken = default)
    {
        if (_ready)
        {
            return;
        }

        await _initLock.WaitAsync(cancellationToken);
        try
        {
            if (_ready)
            {
                return;
            }

            if (!_dialect.Exists())
            {
                if (_whyNotCreate() is { } reason)
                {
                    throw new DatabaseMissingException(
                        $"The database {_dialect.Describe()} does not exist, and this is not a first start ({reason}), so it existed before: " +
                        "a wrong working directory, an unmounted volume or a mistyped Storage:ConnectionString / DATABASE_URL? " +
                        "Restore it (backups are in the backups folder), or point the settings at it; an empty database is never made in its place.");
                }

                LogCreating(_logger, _dialect.Describe());
                Created = true;
            }

            await _dialect.PrepareAsync(cancellationToken);
            var builder = new DbContextOptionsBuilder<SafeStreamDbContext>();
            _dialect.UseProvider(builder, create: true);
            await using (var context = new SafeStreamDbContext(builder.Options))
            {
                var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                if (pending.Count > 0)
                {
                    LogMigrating(_logger, pending.Count, pending[^1]);
                    await context.Database.MigrateAsync(cancellationToken);
                }
            }

            _ready = true;
        }
        finally
        {
            _initLock.Release();
        }
    }

    /// <summary>The latest applied migration, or null before the first.</summary>
    public async Task<string?> SchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await ContextAsync(cancellationToken);
        return (await context.Database.GetAppliedMigrationsAsync(cancellationToken)).LastOrDefault();
    }

    /// <summary>
    /// Executes writes in one transaction (with whatever else is queued) and answers one result per op. An event
    /// whose id is stored with other content is not stored: it is logged and counted (see <see cref="IdConflicts"/>).
    /// </summary>
    public Task<object?[]> ExecuteAsync(IReadOnlyList<WriteOp> ops, CancellationToken cancellationToken = default) =>
        _ready ? Reported(_writer.SubmitAsync(ops, cancellationToken)) : ExecuteColdAsync(ops, cancellationToken);

    private async Task<object?[]> ExecuteColdAsync(IReadOnlyList<WriteOp> ops, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken);
        return await Reported(_writer.SubmitAsync(ops, cancellationToken));
    }

    // The hot path: a task that completed without conflicts is handed through as it is.
    private Task<object?[]> Reported(Task<object?[]> submitted) =>
        submitted.IsCompletedSuccessfully && !HasConflicts(submitted.Result) ? submitted : ReportedAsync(submitted);

    private async Task<object?[]> ReportedAsync(Task<object?[]> submitted)
    {
        var results = await submitted;
        foreach (var result in results)
        {
            if (result is AppendResult { Conflicts.Count: > 0 } append)
            {
                foreach (var conflict in append.Conflicts)
                {
                    var message = $"event id {conflict.Incoming.Id} is stored already with other content; the new event was not stored: {Jsonl.LegacyLines.Format(conflict.Incoming)} (stored: {Jsonl.LegacyLines.Format(conflict.Stored)})";
                    Interlocked.Increment(ref _idConflicts);
                    _lastConflict = $"{_time.GetUtcNow():O} {message}";
                    LogIdConflict(_logger, message);
                }
            }
        }

        return results;
    }

    private static bool HasConflicts(object?[] results)
    {
        foreach (var result in results)
        {
            if (result is AppendResult { Conflicts.Count: > 0 })
            {
                return true;
            }
        }

        return false;
    }

    public async Task<CreateUserResult> CreateUserAsync(User user, CancellationToken cancellationToken = default)
    {
        var results = await ExecuteAsync([new CreateUser(user)], cancellationToken);
        return results[0] is true ? CreateUserResult.Created : CreateUserResult.UsernameTaken;
    }

    public async Task<User?> FindUserAsync(string username, CancellationToken cancellationToken = default)
    {
        await using var context = await ContextAsync(cancellationToken);
        var row = await context.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Username == username, cancellationToken);
        return row is null ? null : ToUser(row);
    }

    public async Task<User?> UpdateUserAsync(string username, UserPatch patch, CancellationToken cancellationToken = default)
    {
        var results = await ExecuteAsync([new PatchUser(username, patch, _time.GetUtcNow())], cancellationToken);
        return (User?)results[0];
    }

    /// <summary>Stores the events; one whose id is taken by another event fails the call (after the rest were stored).</summary>
    public async Task AppendAsync(IReadOnlyList<StorageEvent> events, CancellationToken cancellationToken = default)
    {
        var results = await ExecuteAsync([new AppendEvents(events)], cancellationToken);
        if (results[0] is AppendResult { Conflicts: [var first, ..] } append)
        {
            throw new StorageUnavailableException(
                $"{append.Conflicts.Count} of {events.Count} events were not stored: id {first.Incoming.Id} (and any others) is stored already with other content",
                new IdConflictException(first.Incoming.Id));
        }
    }

    public async Task<IReadOnlyList<ChatMessage>> RecentMessagesAsync(MessageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var context = await ContextAsync(cancellationToken);
        var rows = context.ChatMessages.AsNoTracking();
        if (query.ToxicOnly)
        {
            rows = rows.Where(m => m.Toxic);
        }

        if (query.Since is { } since)
        {
            var from = Micros.ToUnix(since);
            rows = rows.Where(m => m.Ts >= from);
        }

        if (query.Until is { } until)
        {
            var to = Micros.ToUnix(until);
            rows = rows.Where(m => m.Ts < to);
        }

        if (!string.IsNullOrEmpty(query.UserContains))
        {
            var pattern = "%" + EscapeLike(query.UserContains) + "%";
            rows = rows.Where(m => EF.Functions.Like(m.Username, pattern, "\\"));
        }

        var result = await rows.OrderByDescending(m => m.Ts).ThenByDescending(m => m.Id).Take(query.Limit).ToListAsync(cancellationToken);
        return [.. result.Select(m => new ChatMessage(m.Id, m.Username, m.Message, m.Toxic, m.Score, m.Blocked, Micros.FromUnix(m.Ts)))];
    }

    public async Task<IReadOnlyList<Gift>> RecentGiftsAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var context = await ContextAsync(cancellationToken);
        var rows = await context.Gifts.AsNoTracking().OrderByDescending(g => g.Ts).ThenByDescending(g => g.Id).Take(limit).ToListAsync(cancellationToken);
        return [.. rows.Select(g => new Gift(g.Id, g.FromUser, g.GiftId, g.Amount, Micros.FromUnix(g.Ts)))];
    }

    public async Task<IReadOnlyList<AdminAction>> RecentAdminActionsAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var context = await ContextAsync(cancellationToken);
        var rows = await context.AdminActions.AsNoTracking().OrderByDescending(a => a.Ts).ThenByDescending(a => a.Id).Take(limit).ToListAsync(cancellationToken);
        return [.. rows.Select(a => new AdminAction(a.Id, a.AdminUser, a.Action, a.TargetUser, a.Details, Micros.FromUnix(a.Ts)))];
    }

    public async Task<StorageCounts> CountAsync(DateTimeOffset? since, int topGifters = 10, CancellationToken cancellationToken = default)
    {
        var from = since is { } s ? Micros.ToUnix(s) : long.MinValue;
        await using var context = await ContextAsync(cancellationToken);
        var messages = context.ChatMessages.Where(m => m.Ts >= from);
        var gifts = context.Gifts.Where(g => g.Ts >= from);
        var top = await gifts
            .GroupBy(g => g.FromUser)
            .Select(g => new { User = g.Key, Amount = g.Sum(x => (long)x.Amount), Count = g.LongCount() })
            .OrderByDescending(g => g.Amount)
            .ThenBy(g => g.User)
            .Take(topGifters)
            .ToListAsync(cancellationToken);
        return new StorageCounts(
            await messages.LongCountAsync(cancellationToken),
            await messages.LongCountAsync(m => m.Toxic, cancellationToken),
            await gifts.LongCountAsync(cancellationToken),
            await gifts.SumAsync(g => (long?)g.Amount, cancellationToken) ?? 0,
            [.. top.Select(t => new GifterTotal(t.User, t.Amount, t.Count))]);
    }

    public async Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var context = await ContextAsync(cancellationToken);
        return await context.Settings.AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).FirstOrDefaultAsync(cancellationToken);
    }

    public Task SetSettingAsync(string key, string value, CancellationToken cancellationToken = default) =>
        ExecuteAsync([new PutSetting(key, value, _time.GetUtcNow())], cancellationToken);

    /// <summary>The largest event id stored, to seed the id generator after a restart.</summary>
    public async Task<long> MaxEventIdAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await ContextAsync(cancellationToken);
        var chat = await context.ChatMessages.MaxAsync(m => (long?)m.Id, cancellationToken) ?? 0;
        var gift = await context.Gifts.MaxAsync(g => (long?)g.Id, cancellationToken) ?? 0;
        var admin = await context.AdminActions.MaxAsync(a => (long?)a.Id, cancellationToken) ?? 0;
        return Math.Max(chat, Math.Max(gift, admin));
    }

    /// <summary>Every username, for uniqueness checks while the database is unreachable.</summary>
    public async Task<IReadOnlyList<string>> UsernamesAsync(CancellationToken cancellationToken = default) =>
        (await UsernamesAfterAsync(0, cancellationToken)).Names;

    /// <summary>The usernames of the rows after <paramref name="afterId"/> (accounts registered since, by any process), and the last row id.</summary>
    internal async Task<(IReadOnlyList<string> Names, long ThroughId)> UsernamesAfterAsync(long afterId, CancellationToken cancellationToken = default)
    {
        await using var context = await ContextAsync(cancellationToken);
        var rows = await context.Users.AsNoTracking().Where(u => u.Id > afterId).Select(u => new { u.Id, u.Username }).ToListAsync(cancellationToken);
        return ([.. rows.Select(r => r.Username)], rows.Count == 0 ? afterId : rows.Max(r => r.Id));
    }

    /// <summary>True while the writer's transaction has run longer than <paramref name="budget"/> (a lock held by another process).</summary>
    internal bool WriterStalled(TimeSpan budget) => _writer.Stalled(budget);

    /// <summary>Whether the writer is inside a transaction right now.</summary>
    internal bool Writing => _writer.Writing;

    /// <summary>Every event of one kind in id order, with the source key it was imported under (null for live events); streamed.</summary>
    public async IAsyncEnumerable<(StorageEvent Event, byte[]? SourceKey)> StreamEventsAsync(
        EventKind kind,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var context = await ContextAsync(cancellationToken);
        switch (kind)
        {
            case EventKind.Chat:
                await foreach (var m in context.ChatMessages.AsNoTracking().OrderBy(m => m.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
                {
                    yield return (new ChatMessage(m.Id, m.Username, m.Message, m.Toxic, m.Score, m.Blocked, Micros.FromUnix(m.Ts)), m.SourceKey);
                }

                break;
            case EventKind.Gift:
                await foreach (var g in context.Gifts.AsNoTracking().OrderBy(g => g.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
                {
                    yield return (new Gift(g.Id, g.FromUser, g.GiftId, g.Amount, Micros.FromUnix(g.Ts)), g.SourceKey);
                }

                break;
            case EventKind.AdminAction:
                await foreach (var a in context.AdminActions.AsNoTracking().OrderBy(a => a.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
                {
                    yield return (new AdminAction(a.Id, a.AdminUser, a.Action, a.TargetUser, a.Details, Micros.FromUnix(a.Ts)), a.SourceKey);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>Every account, ordered by username (ordinal); streamed.</summary>
    public async IAsyncEnumerable<User> StreamUsersAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var context = await ContextAsync(cancellationToken);
        await foreach (var u in context.Users.AsNoTracking().OrderBy(u => u.Username).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return ToUser(u);
        }
    }

    /// <summary>A consistent copy of the live database at <paramref name="path"/>, taken while it stays in use.</summary>
    public async Task BackupToAsync(string path, CancellationToken cancellationToken = default)
    {
        await EnsureReadyAsync(cancellationToken);
        await _dialect.BackupAsync(path, cancellationToken);
    }

    /// <summary>Forgets pooled connections (after an outage, the file they point at may have been replaced).</summary>
    public void ResetConnections() => _dialect.ResetConnections();

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        _initLock.Dispose();
    }

    internal static User ReadUser(DbDataReader r) => new()
    {
        Username = r.GetString(0),
        Email = r.IsDBNull(1) ? null : r.GetString(1),
        PasswordHash = r.GetString(2),
        IsActive = r.GetBoolean(3),
        IsAdmin = r.GetBoolean(4),
        CreatedAt = Micros.FromUnix(r.GetInt64(5)),
        UpdatedAt = Micros.FromUnix(r.GetInt64(6)),
        MutedUntil = r.IsDBNull(7) ? null : Micros.FromUnix(r.GetInt64(7)),
        TokensValidAfter = r.IsDBNull(8) ? null : Micros.FromUnix(r.GetInt64(8)),
    };

    private static User ToUser(UserRow u) => new()
    {
        Username = u.Username,
        Email = u.Email,
        PasswordHash = u.PasswordHash,
        IsActive = u.IsActive,
        IsAdmin = u.IsAdmin,
        CreatedAt = Micros.FromUnix(u.CreatedAt),
        UpdatedAt = Micros.FromUnix(u.UpdatedAt),
        MutedUntil = u.MutedUntil is { } m ? Micros.FromUnix(m) : null,
        TokensValidAfter = u.TokensValidAfter is { } t ? Micros.FromUnix(t) : null,
    };

    private static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private async Task<SafeStreamDbContext> ContextAsync(CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken);
        return new SafeStreamDbContext(_options);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Creating a new, empty database at {Path}: this is a first start (no journal checkpoint, no backups or archive, Storage:LegacyRetired unset)")]
    private static partial void LogCreating(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Id conflict: {Message}")]
    private static partial void LogIdConflict(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} database migrations, up to {Latest}")]
    private static partial void LogMigrating(ILogger logger, int count, string latest);
}
