namespace SafeStream.Storage.SignIn;

/// <summary>
/// The counters behind the sign-in limits (logins per address, registrations per address, failed logins per username
/// and per username and address). In memory on SQLite and the file modes (one instance); on PostgreSQL in the
/// <c>sign_in_limits</c> table, so several instances share one budget. Keys are short strings the caller builds from
/// validated input; every operation is atomic for its key.
/// </summary>
public interface ISignInCounters
{
    /// <summary>Whether the counters are shared by every instance on the database.</summary>
    bool IsShared { get; }

    /// <summary>
    /// Takes a token from the bucket <paramref name="key"/> (<paramref name="burst"/> tokens, refilled at
    /// <paramref name="perSecond"/>): null when taken, else how long until one is there.
    /// </summary>
    Task<TimeSpan?> TakeAsync(string key, int burst, double perSecond, CancellationToken cancellationToken);

    /// <summary>Counts one use in the fixed window <paramref name="key"/>: null when within <paramref name="limit"/>, else how long until the window ends.</summary>
    Task<TimeSpan?> CountAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>The failures recorded under each key (none when forgotten), in the order of <paramref name="keys"/>.</summary>
    Task<IReadOnlyList<Failures>> ReadFailuresAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>Records one failure under each key; a key whose last failure is older than <paramref name="forget"/> starts again at one.</summary>
    Task FailedAsync(IReadOnlyList<string> keys, TimeSpan forget, CancellationToken cancellationToken);

    /// <summary>Forgets the failures under <paramref name="key"/>.</summary>
    Task ClearAsync(string key, CancellationToken cancellationToken);
}

/// <summary>Failures in a row under one key, and when the last one was; <see cref="None"/> when there are none.</summary>
public readonly record struct Failures(int Count, DateTimeOffset Last)
{
    public static Failures None => default;
}
