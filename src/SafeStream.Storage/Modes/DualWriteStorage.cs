using SafeStream.Storage.Database;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Modes;

/// <summary>
/// The rehearsal: every write goes to the files (which stay the truth) and then to the database, whose failures
/// are counted, never surfaced. Reads answer from the files; the database answers the same read in the
/// background and every difference is counted, which tells the operator whether the database is ready.
/// </summary>
internal sealed class DualWriteStorage(JsonlStore files, DatabaseGate db, KnownUsers users, ShadowCounters counters) : IStorage
{
    private int _shadowBusy;
    private long _writesStarted;
    private long _writesEnded;

    public Task<CreateUserResult> CreateUserAsync(User user, CancellationToken cancellationToken = default) =>
        WritingAsync(() => CreateUserCoreAsync(user, cancellationToken));

    private async Task<CreateUserResult> CreateUserCoreAsync(User user, CancellationToken cancellationToken)
    {
        // An account created in the database in another mode owns its name here too. When the database cannot say,
        // the names it held when last seen must; without them the registration waits rather than risk a second owner.
        var inDatabase = await TryDatabaseAsync((store, ct) => store.FindUserAsync(user.Username, ct), cancellationToken);
        var taken = inDatabase.Ok ? inDatabase.Value is not null : users.HasName(user.Username)
            ?? throw new StorageUnavailableException(
                "The database is unavailable and its usernames are not known yet, so a new registration could take a name that is already owned; try again shortly.");
        if (taken)
        {
            return CreateUserResult.UsernameTaken;
        }

        var result = await files.CreateUserAsync(user, cancellationToken);
        if (result == CreateUserResult.Created)
        {
            await TryDatabaseAsync((store, ct) => store.CreateUserAsync(user, ct), cancellationToken);
            users.AddName(user.Username);
        }

        return result;
    }

    public async Task<User?> FindUserAsync(string username, CancellationToken cancellationToken = default)
    {
        var mark = WriteMark();
        var user = await files.FindUserAsync(username, cancellationToken);
        if (user is null)
        {
            // Accounts registered while the database was first: they exist nowhere else.
            var fromDatabase = await TryDatabaseAsync((store, ct) => store.FindUserAsync(username, ct), cancellationToken);
            return fromDatabase.Value;
        }

        Shadow(mark, (store, ct) => store.FindUserAsync(username, ct), fromDb => fromDb is not null && SameAccount(fromDb, user));
        return user;
    }

    public Task<User?> UpdateUserAsync(string username, UserPatch patch, CancellationToken cancellationToken = default) =>
        WritingAsync(() => UpdateUserCoreAsync(username, patch, cancellationToken));

    private async Task<User?> UpdateUserCoreAsync(string username, UserPatch patch, CancellationToken cancellationToken)
    {
        var updated = await files.UpdateUserAsync(username, patch, cancellationToken);
        var fromDatabase = await TryDatabaseAsync((store, ct) => store.UpdateUserAsync(username, patch, ct), cancellationToken);
        return updated ?? fromDatabase.Value;
    }

    public Task AppendAsync(IReadOnlyList<StorageEvent> events, CancellationToken cancellationToken = default) =>
        WritingAsync(() => AppendCoreAsync(events, cancellationToken));

    private async Task AppendCoreAsync(IReadOnlyList<StorageEvent> events, CancellationToken cancellationToken)
    {
        await files.AppendAsync(events, cancellationToken);
        await TryDatabaseAsync(async (store, ct) =>
        {
            await store.AppendAsync(events, ct);
            return true;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<ChatMessage>> RecentMessagesAsync(MessageQuery query, CancellationToken cancellationToken = default)
    {
        var mark = WriteMark();
        var messages = await files.RecentMessagesAsync(query, cancellationToken);
        Shadow(mark, (store, ct) => store.RecentMessagesAsync(query, ct), fromDb => SameIds(fromDb, messages));
        return messages;
    }

    public async Task<IReadOnlyList<Gift>> RecentGiftsAsync(int limit, CancellationToken cancellationToken = default)
    {
        var mark = WriteMark();
        var gifts = await files.RecentGiftsAsync(limit, cancellationToken);
        Shadow(mark, (store, ct) => store.RecentGiftsAsync(limit, ct), fromDb => SameIds(fromDb, gifts));
        return gifts;
    }

    public async Task<IReadOnlyList<AdminAction>> RecentAdminActionsAsync(int limit, CancellationToken cancellationToken = default)
    {
        var mark = WriteMark();
        var actions = await files.RecentAdminActionsAsync(limit, cancellationToken);
        Shadow(mark, (store, ct) => store.RecentAdminActionsAsync(limit, ct), fromDb => SameIds(fromDb, actions));
        return actions;
    }

    public async Task<StorageCounts> CountAsync(DateTimeOffset? since, int topGifters = 10, CancellationToken cancellationToken = default)
    {
        var mark = WriteMark();
        var counts = await files.CountAsync(since, topGifters, cancellationToken);
        Shadow(
            mark,
            (store, ct) => store.CountAsync(since, topGifters, ct),
            fromDb => fromDb with { TopGifters = [] } == counts with { TopGifters = [] } && fromDb.TopGifters.SequenceEqual(counts.TopGifters));
        return counts;
    }

    public async Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default)
    {
        var mark = WriteMark();
        var value = await files.GetSettingAsync(key, cancellationToken);
        Shadow(mark, (store, ct) => store.GetSettingAsync(key, ct), fromDb => fromDb == value);
        return value;
    }

    public Task SetSettingAsync(string key, string value, CancellationToken cancellationToken = default) =>
        WritingAsync(() => SetSettingCoreAsync(key, value, cancellationToken));

    private async Task SetSettingCoreAsync(string key, string value, CancellationToken cancellationToken)
    {
        await files.SetSettingAsync(key, value, cancellationToken);
        await TryDatabaseAsync(async (store, ct) =>
        {
            await store.SetSettingAsync(key, value, ct);
            return true;
        }, cancellationToken);
    }

    private async Task<(bool Ok, T? Value)> TryDatabaseAsync<T>(Func<DbStore, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return (true, await db.CallAsync(call, cancellationToken));
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex) || ex is StorageUnavailableException { InnerException: IdConflictException })
        {
            WriteFailed(ex);
            return (false, default);
        }
    }

    /// <summary>
    /// Reads the database in the background and counts a mismatch; one shadow read at a time, the rest are skipped.
    /// A comparison is made only when no write was under way from before the file read until the database answered
    /// (<paramref name="mark"/>): otherwise the two stores were read at different moments of that write, and a
    /// difference would say nothing about the database.
    /// </summary>
    private void Shadow<T>((long Started, long Ended) mark, Func<DbStore, CancellationToken, Task<T>> read, Func<T, bool> matches)
    {
        if (Interlocked.Exchange(ref _shadowBusy, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                counters.ReadStarting();
                var fromDb = await db.StartAsync(read, CancellationToken.None);
                if (mark.Started == mark.Ended && Interlocked.Read(ref _writesStarted) == mark.Started)
                {
                    counters.Read(matches(fromDb));
                }
                else
                {
                    counters.Inconclusive();
                }
            }
            catch (Exception ex)
            {
                // A shadow read is advice to the operator; whatever breaks it is counted, never thrown.
                WriteFailed(ex);
            }
            finally
            {
                Volatile.Write(ref _shadowBusy, 0);
            }
        });
    }

    private void WriteFailed(Exception cause)
    {
        counters.WriteFailed();
        db.Status.Failed(cause);
    }

    private (long Started, long Ended) WriteMark()
    {
        var ended = Interlocked.Read(ref _writesEnded);
        return (Interlocked.Read(ref _writesStarted), ended);
    }

    private async Task WritingAsync(Func<Task> write) => await WritingAsync(async () =>
    {
        await write();
        return true;
    });

    private async Task<T> WritingAsync<T>(Func<Task<T>> write)
    {
        Interlocked.Increment(ref _writesStarted);
        try
        {
            return await write();
        }
        finally
        {
            Interlocked.Increment(ref _writesEnded);
        }
    }

    private static bool SameIds<T>(IReadOnlyList<T> a, IReadOnlyList<T> b)
        where T : StorageEvent => a.Select(e => e.Id).SequenceEqual(b.Select(e => e.Id));

    private static bool SameAccount(User a, User b) =>
        a.PasswordHash == b.PasswordHash && a.IsActive == b.IsActive && a.IsAdmin == b.IsAdmin && a.Email == b.Email;
}
