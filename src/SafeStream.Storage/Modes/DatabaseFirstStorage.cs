using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Modes;

/// <summary>
/// Phase D done right: the database first; on an outage writes spill to the journal (acknowledged once durable
/// there) and reads answer from the files. Legacy users the database does not hold yet are found in
/// <c>users.json</c>, and a username is checked in both stores so it never has two owners. A write never waits
/// behind a database that is not committing: with the writer stuck in a transaction it goes to the journal at once,
/// and an append not committed within the append budget is journalled and acknowledged. Every append still goes to
/// the database too (the breaker sees every outcome), and a late commit is harmless: the ids make the replay store
/// nothing twice.
/// </summary>
internal sealed partial class DatabaseFirstStorage(
    JsonlStore files,
    DatabaseGate db,
    JournalSpill spill,
    KnownUsers users,
    SeenSettings settings,
    TimeProvider time,
    TimeSpan appendBudget) : IStorage
{
    private OutageStatus Status => db.Status;

    public async Task AppendAsync(IReadOnlyList<StorageEvent> events, CancellationToken cancellationToken = default)
    {
        var write = db.StartAsync((store, ct) => store.AppendAsync(events, ct), cancellationToken);
        if (db.Store.WriterStalled(appendBudget))
        {
            // The database is stuck in a transaction (a lock held elsewhere, or a machine too busy to commit): the
            // journal takes it now. It is queued for the database too, behind the appends before it, so that when the
            // writer moves on it commits in its sender's order and other instances are told in that order; the
            // queue grows by at most the gate's timeout (Storage:Resilience:TimeoutMs) of appends, after which the
            // calls fail, the breaker opens and the journal alone takes the writes.
            await SpillLateAsync(events, write, Stalled());
            return;
        }

        try
        {
            await write.WaitAsync(appendBudget, time, cancellationToken);
            Status.DatabaseAnswered();
        }
        catch (TimeoutException ex) when (!write.IsCompleted)
        {
            await SpillLateAsync(events, write, ex);
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex))
        {
            await spill.WriteAsync([new AppendEvents(events)], ex);
        }
    }

    public Task<IReadOnlyList<ChatMessage>> RecentMessagesAsync(MessageQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync((store, ct) => store.RecentMessagesAsync(query, ct), () => spill.View.Messages(query), cancellationToken);

    public Task<IReadOnlyList<Gift>> RecentGiftsAsync(int limit, CancellationToken cancellationToken = default) =>
        ReadAsync((store, ct) => store.RecentGiftsAsync(limit, ct), () => spill.View.Gifts(limit), cancellationToken);

    public Task<IReadOnlyList<AdminAction>> RecentAdminActionsAsync(int limit, CancellationToken cancellationToken = default) =>
        ReadAsync((store, ct) => store.RecentAdminActionsAsync(limit, ct), () => spill.View.Actions(limit), cancellationToken);

    public Task<StorageCounts> CountAsync(DateTimeOffset? since, int topGifters = 10, CancellationToken cancellationToken = default) =>
        ReadAsync((store, ct) => store.CountAsync(since, topGifters, ct), () => spill.View.Count(since, topGifters), cancellationToken);

    public async Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            var value = await db.CallAsync((store, ct) => store.GetSettingAsync(key, ct), cancellationToken);
            settings.Remember(key, value);
            return value;
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex))
        {
            Status.ReadFromFiles(ex);
            return settings.Get(key) ?? await files.GetSettingAsync(key, cancellationToken);
        }
    }

    public async Task SetSettingAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        var put = new PutSetting(key, value, time.GetUtcNow());
        try
        {
            ThrowIfStalled();
            await db.CallAsync((store, ct) => store.ExecuteAsync(put, ct), cancellationToken);
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex))
        {
            spill.EnsureReady(ex);
            await files.SetSettingAsync(key, value, cancellationToken);
            await spill.WriteAsync([put], ex);
        }

        settings.Remember(key, value);
    }

    /// <summary>Not committed within the budget: journalled and acknowledged now; the database may still commit it.</summary>
    private async Task SpillLateAsync(IReadOnlyList<StorageEvent> events, Task write, TimeoutException late)
    {
        _ = write.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        try
        {
            await spill.WriteAsync([new AppendEvents(events)], late);
        }
        catch (StorageUnavailableException)
        {
            // The journal cannot take it either: then the caller waits for what the database really did.
            try
            {
                await write;
            }
            catch (Exception ex) when (DatabaseGate.IsOutage(ex))
            {
                throw new StorageUnavailableException($"The database did not commit in time and then failed ({ex.Message}), and the journal cannot take the write.", ex);
            }

            Status.DatabaseAnswered();
        }
    }

    private void ThrowIfStalled()
    {
        if (db.Store.WriterStalled(appendBudget))
        {
            throw Stalled();
        }
    }

    private TimeoutException Stalled() => new($"the database writer has not committed for over {appendBudget.TotalMilliseconds:0} ms");

    private async Task<T> ReadAsync<T>(Func<Database.DbStore, CancellationToken, Task<T>> fromDatabase, Func<T> fromFiles, CancellationToken cancellationToken)
    {
        try
        {
            return await db.CallAsync(fromDatabase, cancellationToken);
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex))
        {
            Status.ReadFromFiles(ex);
            try
            {
                return fromFiles();
            }
            catch (Exception fileError) when (fileError is IOException or UnauthorizedAccessException)
            {
                throw new StorageUnavailableException($"The database is unavailable ({ex.Message}) and the files cannot be read ({fileError.Message}).", fileError);
            }
        }
    }
}
