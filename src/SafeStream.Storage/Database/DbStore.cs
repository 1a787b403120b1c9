using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Database;

/// <summary>
/// <see cref="IStorage"/> on the database alone, and the database itself: its provider (<see cref="ISqlDialect"/>),
/// the schema made by the committed migrations on first use (retried until it succeeds, so a database that is down
/// at start-up does not keep the service down once it is back), reads with EF Core (in <c>DbStore.Reads.cs</c>), and
/// writes through the group-commit <see cref="DbWriter"/>. The modes reach it through their <c>DatabaseGate</c>.
/// </summary>
internal sealed partial class DbStore : IStorage, IAsyncDisposable
{
    private readonly ISqlDialect _dialect;
    private readonly DbWriter _writer;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private readonly Func<string?> _whyNotCreate;
    private volatile bool _ready;
    private long _idConflicts;
    private string? _lastConflict;

    public DbStore(ISqlDialect dialect, TimeProvider time, ILogger logger, Func<string?> whyNotCreate, int maxBatchRecords = 8192)
    {
        _dialect = dialect;
        _logger = logger;
        _whyNotCreate = whyNotCreate;
        _time = time;
        _writer = new DbWriter(dialect, maxBatchRecords, time, logger, Conflicted);
    }

    /// <summary>
    /// The database named by <paramref name="options"/>. It is created only when <paramref name="creation"/> allows it
    /// (on a first start, see <see cref="FirstStart"/>, or always); a database missing otherwise is a
    /// <see cref="DatabaseMissingException"/> naming it.
    /// </summary>
    public static DbStore Open(StorageOptions options, TimeProvider time, ILogger logger, DatabaseCreation creation = DatabaseCreation.Never)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dialect = SqlDialects.For(options);
        Func<string?> whyNotCreate = creation switch
        {
            DatabaseCreation.OnFirstStart => () => FirstStart.WhyNot(options),
            DatabaseCreation.Always => static () => null,
            _ => static () => "this process never creates a database",
        };
        return new DbStore(dialect, time, logger, whyNotCreate);
    }

    /// <summary>Whether this process created the database (on a first start).</summary>
    public bool Created { get; private set; }

    /// <summary>Events not stored because their id was stored already with other content (each is logged).</summary>
    public long IdConflicts => Interlocked.Read(ref _idConflicts);

    /// <summary>When and what the last id conflict was, for the operator.</summary>
    public string? LastConflict => _lastConflict;

    public DatabaseProvider Provider => _dialect.Provider;

    /// <summary>The provider's connections, for work beside the writer (retention's batched deletes).</summary>
    internal ISqlDialect Dialect => _dialect;

    /// <summary>The database for messages (a path, or a host and name; never a password).</summary>
    public string Description => _dialect.Describe();

    /// <summary>Whether the writer is inside a transaction right now.</summary>
    public bool Writing => _writer.Writing;

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
            if (!_ready)
            {
                await CreateOrMigrateAsync(cancellationToken);
                _ready = true;
            }
        }
        finally
        {
            _initLock.Release();
        }
    }

    /// <summary>A context for reads, once the schema is ready.</summary>
    public async Task<SafeStreamDbContext> ContextAsync(CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken);
        return _dialect.CreateContext(create: false);
    }

    /// <summary>Executes writes in one transaction (with whatever else is queued); see <see cref="DbWriter.SubmitAsync"/>.</summary>
    public Task<WriteResults> ExecuteAsync(IReadOnlyList<WriteOp> ops, CancellationToken cancellationToken = default) =>
        _ready ? _writer.SubmitAsync(ops, cancellationToken) : ExecuteColdAsync(ops, cancellationToken);

    /// <summary>One write, answered typed.</summary>
    public async Task<TResult> ExecuteAsync<TResult>(WriteOp<TResult> op, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync([op], cancellationToken)).Of(op);

    public async Task<CreateUserResult> CreateUserAsync(User user, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(new CreateUser(user), cancellationToken) ? CreateUserResult.Created : CreateUserResult.UsernameTaken;

    public Task<User?> UpdateUserAsync(string username, UserPatch patch, CancellationToken cancellationToken = default) =>
        ExecuteAsync(new PatchUser(username, patch, _time.GetUtcNow()), cancellationToken);

    /// <summary>Stores the events; one whose id is taken by another event fails the call (after the rest were stored).</summary>
    public async Task AppendAsync(IReadOnlyList<StorageEvent> events, CancellationToken cancellationToken = default)
    {
        if (await ExecuteAsync(new AppendEvents(events) { Live = true }, cancellationToken) is { Conflicts: [var first, ..] } append)
        {
            throw new StorageUnavailableException(
                $"{append.Conflicts.Count} of {events.Count} events were not stored: id {first.Incoming.Id} (and any others) is stored already with other content",
                new IdConflictException(first.Incoming.Id));
        }
    }

    public Task SetSettingAsync(string key, string value, CancellationToken cancellationToken = default) =>
        ExecuteAsync(new PutSetting(key, value, _time.GetUtcNow()), cancellationToken);

    /// <summary>True while the writer's transaction has run longer than <paramref name="budget"/> (a lock held by another process).</summary>
    public bool WriterStalled(TimeSpan budget) => _writer.Stalled(budget);

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

    private async Task<WriteResults> ExecuteColdAsync(IReadOnlyList<WriteOp> ops, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken);
        return await _writer.SubmitAsync(ops, cancellationToken);
    }

    private async Task CreateOrMigrateAsync(CancellationToken cancellationToken)
    {
        if (!await _dialect.ExistsAsync(cancellationToken))
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

        await _dialect.PrepareAsync(Created, cancellationToken);
        await using var context = _dialect.CreateContext(create: true);
        var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            LogMigrating(_logger, pending.Count, pending[^1]);
            await context.Database.MigrateAsync(cancellationToken);
        }
    }

    private void Conflicted(IdConflict conflict)
    {
        var message = $"event id {conflict.Incoming.Id} is stored already with other content; the new event was not stored: {Jsonl.LegacyLines.Format(conflict.Incoming)} (stored: {Jsonl.LegacyLines.Format(conflict.Stored)})";
        Interlocked.Increment(ref _idConflicts);
        _lastConflict = $"{_time.GetUtcNow():O} {message}";
        LogIdConflict(_logger, message);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Creating a new, empty database at {Path}: this is a first start (no journal checkpoint, no backups or archive, Storage:LegacyRetired unset)")]
    private static partial void LogCreating(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Id conflict: {Message}")]
    private static partial void LogIdConflict(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} database migrations, up to {Latest}")]
    private static partial void LogMigrating(ILogger logger, int count, string latest);
}
