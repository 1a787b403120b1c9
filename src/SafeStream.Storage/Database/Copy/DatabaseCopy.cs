using Microsoft.EntityFrameworkCore;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Database.Copy;

/// <summary>
/// Copies one SafeStream database into another (SQLite to PostgreSQL, or back): accounts and settings with every
/// stamp, events with their ids and source keys. Each pass adds only what the target lacks, so it can be run again
/// after an interruption or while the source is still written, and a pass with nothing new copies nothing. Events
/// go through the target's group-commit writer (binary COPY on PostgreSQL); accounts and settings through EF Core.
/// </summary>
public sealed class DatabaseCopy
{
    private const int SaveEvery = 1000;
    private readonly Func<CancellationToken, Task<SafeStreamDbContext>> _source;
    private readonly MigrationDatabase _target;

    public DatabaseCopy(MigrationDatabase source, MigrationDatabase target)
        : this(ct => (source ?? throw new ArgumentNullException(nameof(source))).Store.ContextAsync(ct), target)
    {
    }

    /// <summary>A copy whose reads all come from contexts <paramref name="source"/> makes (a backup's: one snapshot transaction).</summary>
    internal DatabaseCopy(Func<CancellationToken, Task<SafeStreamDbContext>> source, MigrationDatabase target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _source = source;
        _target = target;
    }

    /// <summary>Accounts the target lacks are added in the source's order; an account the source changed later is brought up to it.</summary>
    public async Task<CopiedTable> CopyUsersAsync(CancellationToken cancellationToken = default)
    {
        await using var from = await _source(cancellationToken);
        await using var to = await _target.Store.ContextAsync(cancellationToken);
        var existing = await to.Users.AsNoTracking().ToDictionaryAsync(u => u.Username, StringComparer.Ordinal, cancellationToken);
        long inSource = 0, copied = 0, updated = 0, saved = 0;
        await foreach (var row in from.Users.AsNoTracking().OrderBy(u => u.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            inSource++;
            if (!existing.TryGetValue(row.Username, out var there))
            {
                row.Id = 0; // the target numbers its own rows, in the same order
                to.Users.Add(row);
                copied++;
            }
            else if (!row.SameAs(there) && row.UpdatedAt >= there.UpdatedAt)
            {
                row.Id = there.Id;
                to.Users.Update(row);
                updated++;
            }

            if (copied + updated - saved >= SaveEvery)
            {
                saved = copied + updated;
                await SaveAsync(to, cancellationToken);
            }
        }

        await SaveAsync(to, cancellationToken);
        return new CopiedTable("users", inSource, copied, updated);
    }

    /// <summary>Settings the target lacks, or holds with an older stamp, take the source's value and stamp.</summary>
    public async Task<CopiedTable> CopySettingsAsync(CancellationToken cancellationToken = default)
    {
        await using var from = await _source(cancellationToken);
        await using var to = await _target.Store.ContextAsync(cancellationToken);
        var existing = await to.Settings.AsNoTracking().ToDictionaryAsync(s => s.Key, StringComparer.Ordinal, cancellationToken);
        long inSource = 0, copied = 0, updated = 0;
        await foreach (var row in from.Settings.AsNoTracking().OrderBy(s => s.Key).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            inSource++;
            if (!existing.TryGetValue(row.Key, out var there))
            {
                to.Settings.Add(row);
                copied++;
            }
            else if ((there.Value != row.Value || there.UpdatedAt != row.UpdatedAt) && row.UpdatedAt >= there.UpdatedAt)
            {
                to.Settings.Update(row);
                updated++;
            }
        }

        await SaveAsync(to, cancellationToken);
        return new CopiedTable("settings", inSource, copied, updated);
    }

    /// <summary>
    /// The events of <paramref name="kind"/> the target lacks, found by walking both tables in id order (so events
    /// that arrived late with older ids, a replayed journal's, are found too), in batches of <paramref name="batch"/>.
    /// </summary>
    public async Task<CopiedTable> CopyEventsAsync(EventKind kind, int batch, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        await using var from = await _source(cancellationToken);
        await using var to = await _target.Store.ContextAsync(cancellationToken);
        await using var stored = to.EventIds(kind).GetAsyncEnumerator(cancellationToken);
        var more = await stored.MoveNextAsync();
        long inSource = 0, copied = 0, conflicts = 0;
        var events = new List<StorageEvent>(batch);
        var keys = new List<byte[]?>(batch);
        await foreach (var row in from.EventRows(kind).WithCancellation(cancellationToken))
        {
            inSource++;
            while (more && stored.Current < row.Id)
            {
                more = await stored.MoveNextAsync();
            }

            if (more && stored.Current == row.Id)
            {
                continue;
            }

            events.Add(row.ToEvent());
            keys.Add(row.SourceKey);
            if (events.Count == batch)
            {
                (copied, conflicts) = Add(await FlushAsync(events, keys, cancellationToken), copied, conflicts);
                progress?.Report(inSource);
            }
        }

        (copied, conflicts) = Add(await FlushAsync(events, keys, cancellationToken), copied, conflicts);
        return new CopiedTable(Inventory.TableOf(kind), inSource, copied, Conflicts: conflicts);
    }

    // Saved in slices and forgotten, so neither the tracker nor each save grows with the table.
    private static async Task SaveAsync(SafeStreamDbContext context, CancellationToken cancellationToken)
    {
        await context.SaveChangesAsync(cancellationToken);
        context.ChangeTracker.Clear();
    }

    private static (long, long) Add(AppendResult result, long copied, long conflicts) => (copied + result.Inserted, conflicts + result.Conflicts.Count);

    private async Task<AppendResult> FlushAsync(List<StorageEvent> events, List<byte[]?> keys, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return AppendResult.Nothing;
        }

        var result = await _target.ExecuteAsync(new AppendEvents([.. events], [.. keys]), cancellationToken);
        events.Clear();
        keys.Clear();
        return result;
    }
}
