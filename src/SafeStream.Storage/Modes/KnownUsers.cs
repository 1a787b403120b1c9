using System.Collections.Concurrent;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Modes;

/// <summary>
/// What the router remembers about accounts so that an outage does not lock people out or let a username get a
/// second owner: the accounts it has read from the database, the changes made while it was down (which win over
/// the database until the journal is replayed), and every username the database holds (refreshed as it grows).
/// </summary>
internal sealed class KnownUsers(int capacity = 100_000)
{
    private readonly ConcurrentDictionary<string, User> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Offline> _offline = new(StringComparer.Ordinal);
    private readonly Lock _namesLock = new();
    private HashSet<string>? _names;
    private long _namesThroughId;
    private long _generation;

    public bool NamesLoaded
    {
        get
        {
            lock (_namesLock)
            {
                return _names is not null;
            }
        }
    }

    /// <summary>The highest user row id whose name is known: the next refresh reads the rows after it.</summary>
    public long NamesThroughId
    {
        get
        {
            lock (_namesLock)
            {
                return _namesThroughId;
            }
        }
    }

    /// <summary>Changes made offline so far; <see cref="Replayed"/> forgets only those up to what it was given.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public void Remember(User user)
    {
        if (_cache.Count >= capacity)
        {
            _cache.Clear(); // a crude bound; the cache only serves lookups during an outage
        }

        _cache[user.Username] = user;
        AddName(user.Username);
    }

    /// <summary>An account changed while the database was down; it wins until the journal is replayed.</summary>
    public void ChangedOffline(User user)
    {
        _offline[user.Username] = new Offline(user, null, Interlocked.Increment(ref _generation));
        Remember(user);
    }

    /// <summary>A change journalled for an account known only by name (its record is not at hand): it overlays the account once read.</summary>
    public void PatchedOffline(string username, UserPatch patch)
    {
        var generation = Interlocked.Increment(ref _generation);
        _offline.AddOrUpdate(
            username,
            static (_, s) => new Offline(null, s.patch, s.generation),
            static (_, old, s) => old.Account is { } account
                ? old with { Account = account.Apply(s.patch, account.UpdatedAt), Generation = s.generation }
                : old with { Pending = old.Pending!.Then(s.patch), Generation = s.generation },
            (patch, generation));
    }

    /// <summary>A change that reached the database while offline changes still wait: it is newer, so it wins over them.</summary>
    public void ChangedOnline(string username, UserPatch patch, DateTimeOffset at)
    {
        while (_offline.TryGetValue(username, out var old))
        {
            var next = old.Account is { } account
                ? old with { Account = account.Apply(patch, at) }
                : old with { Pending = old.Pending!.Without(patch) };
            if (_offline.TryUpdate(username, next, old))
            {
                return;
            }
        }
    }

    public User? ChangedOfflineOrNull(string username) => _offline.TryGetValue(username, out var o) ? o.Account : null;

    /// <summary>The account as the database answered it, with any change journalled for it and not replayed yet.</summary>
    public User Overlay(User fromDatabase) =>
        _offline.TryGetValue(fromDatabase.Username, out var o) && o.Pending is { } pending ? fromDatabase.Apply(pending, fromDatabase.UpdatedAt) : fromDatabase;

    public User? Cached(string username) =>
        _offline.TryGetValue(username, out var changed) && changed.Account is { } account ? account : _cache.GetValueOrDefault(username);

    /// <summary>The journal is fully replayed up to <paramref name="generation"/>: for those accounts the database is the truth again.</summary>
    public void Replayed(long generation)
    {
        foreach (var (username, offline) in _offline)
        {
            if (offline.Generation <= generation)
            {
                _offline.TryRemove(new KeyValuePair<string, Offline>(username, offline));
            }
        }
    }

    /// <summary>Adds names read from the database (all of them, or the rows after <see cref="NamesThroughId"/>).</summary>
    public void LoadNames(IEnumerable<string> names, long throughId)
    {
        lock (_namesLock)
        {
            _names ??= new HashSet<string>(StringComparer.Ordinal);
            _names.UnionWith(names);
            _namesThroughId = Math.Max(_namesThroughId, throughId);
        }
    }

    public void AddName(string username)
    {
        lock (_namesLock)
        {
            _names?.Add(username);
        }
    }

    /// <summary>Whether the database holds the name, or null when the names were never loaded.</summary>
    public bool? HasName(string username)
    {
        lock (_namesLock)
        {
            return _names?.Contains(username);
        }
    }

    /// <summary>An account changed offline: the whole account when it was at hand, else only the pending change.</summary>
    private sealed record Offline(User? Account, UserPatch? Pending, long Generation);
}
