using System.Collections.Concurrent;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Resilient;

/// <summary>
/// What the router remembers about accounts so that an outage does not lock people out or let a username get a
/// second owner: the accounts it has read from the database, the ones changed during the outage (which win over
/// the database until the journal is replayed), and every username the database holds.
/// </summary>
internal sealed class KnownUsers(int capacity = 100_000)
{
    private readonly ConcurrentDictionary<string, User> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, User> _changedOffline = new(StringComparer.Ordinal);
    private readonly Lock _namesLock = new();
    private HashSet<string>? _names;

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
        _changedOffline[user.Username] = user;
        Remember(user);
    }

    public User? ChangedOfflineOrNull(string username) => _changedOffline.GetValueOrDefault(username);

    public User? Cached(string username) =>
        _changedOffline.TryGetValue(username, out var changed) ? changed : _cache.GetValueOrDefault(username);

    /// <summary>The journal is fully replayed: the database is the truth again.</summary>
    public void Replayed() => _changedOffline.Clear();

    public void LoadNames(IEnumerable<string> names)
    {
        var set = new HashSet<string>(names, StringComparer.Ordinal);
        lock (_namesLock)
        {
            if (_names is not null)
            {
                set.UnionWith(_names);
            }

            _names = set;
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
}
