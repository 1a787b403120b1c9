using SafeStream.Storage.Model;

namespace SafeStream.Storage.Modes;

/// <summary>
/// Accounts in DatabaseFirst: a legacy account (only in <c>users.json</c>) moves into the database with its first
/// change; during an outage a registration or a change goes to <c>users.json</c> and the journal, and is in force at
/// once (<see cref="KnownUsers"/> keeps it until the replay); a new name is refused unless the database's names are known.
/// </summary>
internal sealed partial class DatabaseFirstStorage
{
    public async Task<CreateUserResult> CreateUserAsync(User user, CancellationToken cancellationToken = default)
    {
        if (await files.FindUserAsync(user.Username, cancellationToken) is not null)
        {
            return CreateUserResult.UsernameTaken;
        }

        try
        {
            ThrowIfStalled();
            var result = await db.CallAsync((store, ct) => store.CreateUserAsync(user, ct), cancellationToken);
            users.AddName(user.Username);
            return result;
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex))
        {
            return await CreateOfflineAsync(user, ex, cancellationToken);
        }
    }

    public async Task<User?> FindUserAsync(string username, CancellationToken cancellationToken = default)
    {
        if (users.ChangedOfflineOrNull(username) is { } changed)
        {
            return changed; // changed during the outage; the database has it only once the journal is replayed
        }

        try
        {
            if (await db.CallAsync((store, ct) => store.FindUserAsync(username, ct), cancellationToken) is { } user)
            {
                users.Remember(user);
                return users.Overlay(user);
            }
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex))
        {
            Status.ReadFromFiles(ex);
            if (users.Cached(username) is { } cached)
            {
                return cached;
            }
        }

        return await files.FindUserAsync(username, cancellationToken);
    }

    public async Task<User?> UpdateUserAsync(string username, UserPatch patch, CancellationToken cancellationToken = default)
    {
        var change = new PatchUser(username, patch, time.GetUtcNow());
        try
        {
            ThrowIfStalled();
            var updated = await db.StartAsync((store, ct) => store.ExecuteAsync(change, ct), cancellationToken)
                ?? await MoveLegacyUserAsync(change, cancellationToken);
            Status.DatabaseAnswered();
            if (updated is not null)
            {
                users.Remember(updated);
                users.ChangedOnline(username, patch, change.At);
            }

            return updated is null ? null : users.ChangedOfflineOrNull(username) ?? users.Overlay(updated);
        }
        catch (Exception ex) when (DatabaseGate.IsOutage(ex))
        {
            return await UpdateOfflineAsync(change, ex, cancellationToken);
        }
    }

    /// <summary>A registration while the database is down: only when its names are known, into <c>users.json</c> and the journal.</summary>
    private async Task<CreateUserResult> CreateOfflineAsync(User user, Exception ex, CancellationToken cancellationToken)
    {
        if (users.HasName(user.Username) is not { } taken)
        {
            Status.Failed(ex);
            throw new StorageUnavailableException(
                "The database is unavailable and its usernames are not known yet, so a new registration could take a name that is already owned; try again shortly.", ex);
        }

        if (taken)
        {
            return CreateUserResult.UsernameTaken;
        }

        // users.json makes the account usable now; the journal brings it into the database later.
        spill.EnsureReady(ex);
        var result = await files.CreateUserAsync(user, cancellationToken);
        if (result == CreateUserResult.Created)
        {
            await spill.WriteAsync([new CreateUser(user)], ex);
            users.ChangedOffline(user);
        }

        return result;
    }

    /// <summary>
    /// An account change while the database is down: journalled, and in force at once. An account known to the
    /// database only by name (not read since the start) still gets its kick or mute: the answer carries the change
    /// (no password hash), and the change overlays the account when it is read next.
    /// </summary>
    private async Task<User?> UpdateOfflineAsync(PatchUser change, Exception ex, CancellationToken cancellationToken)
    {
        var (username, patch, now) = change;
        var current = users.Cached(username) ?? await files.FindUserAsync(username, cancellationToken);
        if (current is null)
        {
            switch (users.HasName(username))
            {
                case false:
                    Status.Failed(ex);
                    return null;
                case null:
                    Status.Failed(ex);
                    throw new StorageUnavailableException($"The database is unavailable and its usernames are not known yet, so '{username}' cannot be looked up.", ex);
            }

            await spill.WriteAsync([change], ex);
            users.PatchedOffline(username, patch);
            return new User { Username = username, PasswordHash = "", UpdatedAt = now }.Apply(patch, now);
        }

        var updated = current.Apply(patch, now);
        spill.EnsureReady(ex);
        if (await files.FindUserAsync(username, cancellationToken) is not null)
        {
            await files.UpdateUserAsync(username, patch, cancellationToken);
        }

        await spill.WriteAsync([change], ex);
        users.ChangedOffline(updated);
        return updated;
    }

    /// <summary>A legacy user (only in <c>users.json</c>) changed for the first time moves into the database with the change.</summary>
    private async Task<User?> MoveLegacyUserAsync(PatchUser change, CancellationToken cancellationToken)
    {
        if (await files.FindUserAsync(change.Username, cancellationToken) is not { } legacy)
        {
            return null;
        }

        var results = await db.StartAsync((store, ct) => store.ExecuteAsync([new CreateUser(legacy), change], ct), cancellationToken);
        return results.Of(change);
    }
}
