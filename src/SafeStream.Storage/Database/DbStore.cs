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
    private volatile bool _ready;

    internal DbStore(ISqlDialect dialect, TimeProvider time, ILogger<DbStore> logger, int maxBatchRecords = 8192)
    {
        _dialect = dialect;
        _time = time;
        _logger = logger;
        var builder = new DbContextOptionsBuilder<SafeStreamDbContext>();
        dialect.UseProvider(builder, create: false);
        _options = builder.Options;
        _writer = new DbWriter(dialect, maxBatchRecords, logger);
    }

    /// <summary>A store on the SQLite database named by <paramref name="options"/>.</summary>
    public static DbStore CreateSqlite(StorageOptions options, TimeProvider time, ILogger<DbStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new DbStore(
            new SqliteDialect(options.ConnectionString, options.Resilience.BusyTimeoutMs, options.SqliteSynchronous == SqliteSynchronous.Full),
            time,
            logger);
    }

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

    /// <summary>Executes writes in one transaction (with whatever else is queued) and answers one result per op.</summary>
    public Task<object?[]> ExecuteAsync(IReadOnlyList<WriteOp> ops, CancellationToken cancellationToken = default) =>
        _ready ? _writer.SubmitAsync(ops, cancellationToken) : ExecuteColdAsync(ops, cancellationToken);

    private async Task<object?[]> ExecuteColdAsync(IReadOnlyList<WriteOp> ops, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken);
        return await _writer.SubmitAsync(ops, cancellationToken);
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

    public Task AppendAsync(IReadOnlyList<StorageEvent> events, CancellationToken cancellationToken = default) =>
        ExecuteAsync([new AppendEvents(events)], cancellationToken);

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
        ExecuteAsync([new PutSetting(key, value)], cancellationToken);

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
    public async Task<IReadOnlyList<string>> UsernamesAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await ContextAsync(cancellationToken);
        return await context.Users.AsNoTracking().Select(u => u.Username).ToListAsync(cancellationToken);
    }

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} database migrations, up to {Latest}")]
    private static partial void LogMigrating(ILogger logger, int count, string latest);
}
