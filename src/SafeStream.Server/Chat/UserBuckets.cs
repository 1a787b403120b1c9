using System.Collections.Concurrent;

namespace SafeStream.Server.Chat;

/// <summary>
/// A <see cref="TokenBucket"/> per user. A bucket is forgotten only once it has refilled: forgetting it then gives its
/// user nothing extra, so reconnecting (or waiting for a prune) never buys a fresh burst.
/// </summary>
internal sealed class UserBuckets(double ratePerSecond, int burst, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);

    public int Count => _buckets.Count;

    public TokenBucket For(string username) =>
        _buckets.GetOrAdd(username, static (_, state) => new TokenBucket(state.ratePerSecond, state.burst, state.time), (ratePerSecond, burst, time));

    /// <summary>Forgets every full bucket but those of users <paramref name="inUse"/> says are still here.</summary>
    public void ForgetFull(Func<string, bool>? inUse = null)
    {
        foreach (var (username, bucket) in _buckets)
        {
            if (bucket.IsFull && inUse?.Invoke(username) != true)
            {
                _buckets.TryRemove(new KeyValuePair<string, TokenBucket>(username, bucket));
            }
        }
    }

    /// <summary>Forgets <paramref name="bucket"/> if it is full and still the one held for <paramref name="username"/>.</summary>
    public void ForgetIfFull(string username, TokenBucket bucket)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        if (bucket.IsFull)
        {
            _buckets.TryRemove(new KeyValuePair<string, TokenBucket>(username, bucket));
        }
    }
}
