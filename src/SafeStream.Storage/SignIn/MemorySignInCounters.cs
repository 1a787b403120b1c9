using System.Security.Cryptography;
using System.Text;

namespace SafeStream.Storage.SignIn;

/// <summary>
/// The counters of one process, bounded: at most <c>maxEntries</c> keys of at most <see cref="MaxKeyLength"/>
/// characters (a longer key is kept as its hash), so the memory they take is bounded whatever the input. Expired
/// entries go first; past the bound, the entries that expire soonest are dropped (a tenth at a time, so the cost is
/// spread over the inserts).
/// </summary>
internal sealed class MemorySignInCounters(TimeProvider time, int maxEntries) : ISignInCounters
{
    /// <summary>Longest key kept as it is.</summary>
    public const int MaxKeyLength = 128;

    /// <summary>An entry's bookkeeping beside its key: the dictionary slot, the value and the string header.</summary>
    public const int EntryOverheadBytes = 96;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public bool IsShared => false;

    /// <summary>Keys held now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>What the entries take, approximately: their keys (UTF-16) and <see cref="EntryOverheadBytes"/> each.</summary>
    public long ApproximateBytes
    {
        get
        {
            lock (_lock)
            {
                return _entries.Keys.Sum(k => (2L * k.Length) + EntryOverheadBytes);
            }
        }
    }

    /// <summary>The most <see cref="ApproximateBytes"/> can ever be.</summary>
    public long MaxBytes => (long)maxEntries * ((2L * MaxKeyLength) + EntryOverheadBytes);

    public Task<TimeSpan?> TakeAsync(string key, int burst, double perSecond, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            key = Bounded(key);
            var tokens = _entries.TryGetValue(key, out var entry)
                ? Math.Min(burst, entry.Value + (Math.Max(0, (now - entry.Stamp).TotalSeconds) * perSecond))
                : burst;
            var full = now + TimeSpan.FromSeconds(burst / perSecond);
            if (tokens < 1)
            {
                return Task.FromResult<TimeSpan?>(TimeSpan.FromSeconds((1 - tokens) / perSecond));
            }

            Put(key, new Entry(tokens - 1, now, full), now);
            return Task.FromResult<TimeSpan?>(null);
        }
    }

    public Task<TimeSpan?> CountAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            key = Bounded(key);
            var entry = _entries.TryGetValue(key, out var found) && found.Expires > now ? found with { Value = found.Value + 1 } : new Entry(1, now, now + window);
            Put(key, entry, now);
            return Task.FromResult<TimeSpan?>(entry.Value > limit ? entry.Expires - now : null);
        }
    }

    public Task<IReadOnlyList<Failures>> ReadFailuresAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<Failures>>(keys
                .Select(k => _entries.TryGetValue(Bounded(k), out var e) && e.Expires > now ? new Failures((int)e.Value, e.Stamp) : Failures.None)
                .ToList());
        }
    }

    public Task FailedAsync(IReadOnlyList<string> keys, TimeSpan forget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            foreach (var key in keys.Select(Bounded))
            {
                var previous = _entries.TryGetValue(key, out var e) && e.Expires > now ? e.Value : 0;
                Put(key, new Entry(previous + 1, now, now + forget), now);
            }
        }

        return Task.CompletedTask;
    }

    public Task ClearAsync(string key, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _entries.Remove(Bounded(key));
        }

        return Task.CompletedTask;
    }

    private static string Bounded(string key) =>
        key.Length <= MaxKeyLength ? key : "#" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    // Under _lock.
    private void Put(string key, Entry entry, DateTimeOffset now)
    {
        _entries[key] = entry;
        if (_entries.Count <= maxEntries)
        {
            return;
        }

        foreach (var (name, old) in _entries)
        {
            if (old.Expires <= now)
            {
                _entries.Remove(name);
            }
        }

        var excess = _entries.Count - (maxEntries - (maxEntries / 10));
        if (excess > 0)
        {
            foreach (var name in _entries.Where(e => e.Key != key).OrderBy(e => e.Value.Expires).Take(excess).Select(e => e.Key).ToList())
            {
                _entries.Remove(name);
            }
        }
    }

    /// <summary>A bucket's tokens, a window's uses or a key's failures; when it was last touched; when it means nothing any more.</summary>
    private readonly record struct Entry(double Value, DateTimeOffset Stamp, DateTimeOffset Expires);
}
