using SafeStream.Storage.Model;

namespace SafeStream.Storage.Resilient;

/// <summary>
/// Phase D done right: the database first; on an outage writes spill to the journal (acknowledged once durable
/// there) and reads answer from the files. Legacy users the database does not hold yet are found in
/// <c>users.json</c>, and a username is checked in both stores so it never has two owners. A write never waits
/// behind a database that is not committing: with the writer stuck in a transaction it goes to the journal at once,
/// and an append not committed within <see cref="RouterContext.AppendBudget"/> is journalled and acknowledged. Every
/// append still goes to the database too (the breaker sees every outcome), and a late commit is harmless: the ids
/// make the replay store nothing twice.
/// </summary>
internal sealed class DatabaseFirstStorage(RouterContext c) : IStorage
{
    public async Task<CreateUserResult> CreateUserAsync(User user, CancellationToken cancellationToken = default)
    {
        if (await c.Files.FindUserAsync(user.Username, cancellationToken) is not null)
        {
            return CreateUserResult.UsernameTaken;
        }

        try
        {
            ThrowIfStalled();
            var result = await c.Gate.RunAsync(ct => c.Db.CreateUserAsync(user, ct), cancellationToken);
            c.DatabaseAnswered();
            c.Users.AddName(user.Username);
            return result;
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex))
        {
            if (c.Users.HasName(user.Username) is not { } taken)
            {
                c.Failed(ex);
                throw new StorageUnavailableException(
                    "The database is unavailable and its usernames are not known yet, so a new registration could take a name that is already owned; try again shortly.", ex);
            }

            if (taken)
            {
                return CreateUserResult.UsernameTaken;
            }

            // users.json makes the account usable now; the journal brings it into the database later.
            c.ReadyToSpill(ex);
            var result = await c.Files.CreateUserAsync(user, cancellationToken);
            if (result == CreateUserResult.Created)
            {
                await c.SpillAsync([new CreateUser(user)], ex);
                c.Users.ChangedOffline(user);
            }

            return result;
        }
    }

    public async Task<User?> FindUserAsync(string username, CancellationToken cancellationToken = default)
    {
        if (c.Users.ChangedOfflineOrNull(username) is { } changed)
        {
            return changed; // changed during the outage; the database has it only once the journal is replayed
        }

        try
        {
            var user = await c.Gate.RunAsync(ct => c.Db.FindUserAsync(username, ct), cancellationToken);
            c.DatabaseAnswered();
            if (user is not null)
            {
                c.Users.Remember(user);
                return c.Users.Overlay(user);
            }
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex))
        {
            c.ReadFromFiles(ex);
            if (c.Users.Cached(username) is { } cached)
            {
                return cached;
            }
        }

        return await c.Files.FindUserAsync(username, cancellationToken);
    }

    public async Task<User?> UpdateUserAsync(string username, UserPatch patch, CancellationToken cancellationToken = default)
    {
        var now = c.Time.GetUtcNow();
        try
        {
            ThrowIfStalled();
            var updated = await c.Gate.RunAsync(ct => c.Db.UpdateUserAsync(username, patch, ct), cancellationToken)
                ?? await MoveLegacyUserAsync(username, patch, now, cancellationToken);
            c.DatabaseAnswered();
            if (updated is not null)
            {
                c.Users.Remember(updated);
                c.Users.ChangedOnline(username, patch, now);
            }

            return updated is null ? null : c.Users.ChangedOfflineOrNull(username) ?? c.Users.Overlay(updated);
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex))
        {
            return await UpdateOfflineAsync(username, patch, now, ex, cancellationToken);
        }
    }

    public async Task AppendAsync(IReadOnlyList<StorageEvent> events, CancellationToken cancellationToken = default)
    {
        if (c.Db.WriterStalled(c.AppendBudget))
        {
            // The database is stuck in a transaction (a lock held elsewhere): the journal takes it now, and the
            // writer's queue does not grow by one copy of every append for the length of the stall.
            await c.SpillAsync([new AppendEvents(events)], new TimeoutException($"the database writer has not committed for over {c.AppendBudget.TotalMilliseconds:0} ms"));
            return;
        }

        var write = c.Gate.RunAsync(ct => c.Db.AppendAsync(events, ct), cancellationToken);
        try
        {
            await write.WaitAsync(c.AppendBudget, c.Time, cancellationToken);
            c.DatabaseAnswered();
        }
        catch (TimeoutException ex) when (!write.IsCompleted)
        {
            await SpillLateAsync(events, write, ex);
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex))
        {
            await c.SpillAsync([new AppendEvents(events)], ex);
        }
    }

    public Task<IReadOnlyList<ChatMessage>> RecentMessagesAsync(MessageQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(ct => c.Db.RecentMessagesAsync(query, ct), () => c.OutageView.Messages(query), cancellationToken);

    public Task<IReadOnlyList<Gift>> RecentGiftsAsync(int limit, CancellationToken cancellationToken = default) =>
        ReadAsync(ct => c.Db.RecentGiftsAsync(limit, ct), () => c.OutageView.Gifts(limit), cancellationToken);

    public Task<IReadOnlyList<AdminAction>> RecentAdminActionsAsync(int limit, CancellationToken cancellationToken = default) =>
        ReadAsync(ct => c.Db.RecentAdminActionsAsync(limit, ct), () => c.OutageView.Actions(limit), cancellationToken);

    public Task<StorageCounts> CountAsync(DateTimeOffset? since, int topGifters = 10, CancellationToken cancellationToken = default) =>
        ReadAsync(ct => c.Db.CountAsync(since, topGifters, ct), () => c.OutageView.Count(since, topGifters), cancellationToken);

    public async Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            var value = await c.Gate.RunAsync(ct => c.Db.GetSettingAsync(key, ct), cancellationToken);
            c.DatabaseAnswered();
            c.RememberSetting(key, value);
            return value;
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex))
        {
            c.ReadFromFiles(ex);
            return c.SeenSetting(key) ?? await c.Files.GetSettingAsync(key, cancellationToken);
        }
    }

    public async Task SetSettingAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        var now = c.Time.GetUtcNow();
        try
        {
            ThrowIfStalled();
            await c.Gate.RunAsync(ct => c.Db.ExecuteAsync([new PutSetting(key, value, now)], ct), cancellationToken);
            c.DatabaseAnswered();
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex))
        {
            c.ReadyToSpill(ex);
            await c.Files.SetSettingAsync(key, value, cancellationToken);
            await c.SpillAsync([new PutSetting(key, value, now)], ex);
        }

        c.RememberSetting(key, value);
    }

    /// <summary>
    /// An account change while the database is down: journalled, and in force at once. An account known to the
    /// database only by name (not read since the start) still gets its kick or mute: the answer carries the change
    /// (no password hash), and the change overlays the account when it is read next.
    /// </summary>
    private async Task<User?> UpdateOfflineAsync(string username, UserPatch patch, DateTimeOffset now, Exception ex, CancellationToken cancellationToken)
    {
        var current = c.Users.Cached(username) ?? await c.Files.FindUserAsync(username, cancellationToken);
        if (current is null)
        {
            switch (c.Users.HasName(username))
            {
                case false:
                    c.Failed(ex);
                    return null;
                case null:
                    c.Failed(ex);
                    throw new StorageUnavailableException($"The database is unavailable and its usernames are not known yet, so '{username}' cannot be looked up.", ex);
            }

            await c.SpillAsync([new PatchUser(username, patch, now)], ex);
            c.Users.PatchedOffline(username, patch);
            return new User { Username = username, PasswordHash = "", UpdatedAt = now }.Apply(patch, now);
        }

        var updated = current.Apply(patch, now);
        c.ReadyToSpill(ex);
        if (await c.Files.FindUserAsync(username, cancellationToken) is not null)
        {
            await c.Files.UpdateUserAsync(username, patch, cancellationToken);
        }

        await c.SpillAsync([new PatchUser(username, patch, now)], ex);
        c.Users.ChangedOffline(updated);
        return updated;
    }

    /// <summary>Not committed within the budget: journalled and acknowledged now; the database may still commit it.</summary>
    private async Task SpillLateAsync(IReadOnlyList<StorageEvent> events, Task write, TimeoutException late)
    {
        _ = write.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        try
        {
            await c.SpillAsync([new AppendEvents(events)], late);
        }
        catch (StorageUnavailableException)
        {
            // The journal cannot take it either: then the caller waits for what the database really did.
            await write;
            c.DatabaseAnswered();
        }
    }

    private void ThrowIfStalled()
    {
        if (c.Db.WriterStalled(c.AppendBudget))
        {
            throw new TimeoutException($"the database writer has not committed for over {c.AppendBudget.TotalMilliseconds:0} ms");
        }
    }

    /// <summary>A legacy user (only in <c>users.json</c>) changed for the first time moves into the database with the change.</summary>
    private async Task<User?> MoveLegacyUserAsync(string username, UserPatch patch, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await c.Files.FindUserAsync(username, cancellationToken) is not { } legacy)
        {
            return null;
        }

        var results = await c.Gate.RunAsync(
            ct => c.Db.ExecuteAsync([new CreateUser(legacy), new PatchUser(username, patch, now)], ct),
            cancellationToken);
        return (User?)results[1];
    }

    private async Task<T> ReadAsync<T>(Func<CancellationToken, Task<T>> fromDatabase, Func<T> fromFiles, CancellationToken cancellationToken)
    {
        try
        {
            var result = await c.Gate.RunAsync(fromDatabase, cancellationToken);
            c.DatabaseAnswered();
            return result;
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex))
        {
            c.ReadFromFiles(ex);
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
