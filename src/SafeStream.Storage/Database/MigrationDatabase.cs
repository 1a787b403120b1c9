using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Database;

/// <summary>
/// The database as the migration tool sees it: batches of writes answered typed, every record streamed in order,
/// a consistent backup, the largest id, the usernames and the schema version. It writes through the same
/// group-commit writer as the service, so both may run at once.
/// </summary>
public sealed class MigrationDatabase : IAsyncDisposable
{
    private readonly DbStore _database;

    private MigrationDatabase(DbStore database)
    {
        _database = database;
    }

    /// <summary>Whether this tool created the database (an import on a first start, a copy's target).</summary>
    public bool Created => _database.Created;

    /// <summary>
    /// The database of <paramref name="options"/>. A tool creates one only where <paramref name="creation"/> allows
    /// it (see <see cref="DatabaseCreation"/>).
    /// </summary>
    public static MigrationDatabase Open(StorageOptions options, TimeProvider time, ILoggerFactory loggers, DatabaseCreation creation = DatabaseCreation.Never)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        return new MigrationDatabase(DbStore.Open(options, time, loggers.CreateLogger<MigrationDatabase>(), creation));
    }

    /// <summary>A path or host and name for messages; never a password.</summary>
    public string Description => _database.Description;

    internal DbStore Store => _database;

    /// <summary>Creates or migrates the schema if that has not happened yet.</summary>
    public Task EnsureReadyAsync(CancellationToken cancellationToken = default) => _database.EnsureReadyAsync(cancellationToken);

    /// <summary>Executes the writes in one transaction; read each outcome with <see cref="WriteResults.Of{TResult}"/>.</summary>
    public Task<WriteResults> ExecuteAsync(IReadOnlyList<WriteOp> ops, CancellationToken cancellationToken = default) => _database.ExecuteAsync(ops, cancellationToken);

    public Task<TResult> ExecuteAsync<TResult>(WriteOp<TResult> op, CancellationToken cancellationToken = default) => _database.ExecuteAsync(op, cancellationToken);

    public Task<User?> FindUserAsync(string username, CancellationToken cancellationToken = default) => _database.FindUserAsync(username, cancellationToken);

    public Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default) => _database.GetSettingAsync(key, cancellationToken);

    /// <summary>
    /// The retention floor recorded by the last run (<c>prune</c> or the server's daily run): events older than it were
    /// removed, and the writer never stores them again, so an import counts them as pruned.
    /// </summary>
    public async Task<Retention.RetentionFloor> RetentionFloorAsync(CancellationToken cancellationToken = default)
    {
        await _database.EnsureReadyAsync(cancellationToken);
        return await new Retention.DatabasePruner(_database.Dialect).FloorAsync(cancellationToken);
    }

    /// <summary>The largest event id stored, so imported lines get ids after it.</summary>
    public Task<long> MaxEventIdAsync(CancellationToken cancellationToken = default) => _database.MaxEventIdAsync(cancellationToken);

    /// <summary>The latest applied migration, or null before the first.</summary>
    public async Task<string?> SchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await _database.ContextAsync(cancellationToken);
        return (await context.Database.GetAppliedMigrationsAsync(cancellationToken)).LastOrDefault();
    }

    /// <summary>Every event of one kind in id order, with the source key it was imported under (null for live events); streamed.</summary>
    public async IAsyncEnumerable<(StorageEvent Event, byte[]? SourceKey)> StreamEventsAsync(EventKind kind, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var context = await _database.ContextAsync(cancellationToken);
        await foreach (var row in context.EventRows(kind).WithCancellation(cancellationToken))
        {
            yield return (row.ToEvent(), row.SourceKey);
        }
    }

    /// <summary>Every account, ordered by username (ordinal); streamed.</summary>
    public async IAsyncEnumerable<User> StreamUsersAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var context = await _database.ContextAsync(cancellationToken);
        await foreach (var row in context.Users.AsNoTracking().OrderBy(u => u.Username).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return row.ToUser();
        }
    }

    /// <summary>A consistent copy of the live database at <paramref name="path"/>, taken while it stays in use.</summary>
    public Task BackupToAsync(string path, CancellationToken cancellationToken = default) => _database.BackupToAsync(path, cancellationToken);

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
