using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SafeStream.Server.Chat;

namespace SafeStream.Server.Gifts;

/// <summary>A token bucket per sender, like chat's (<c>Limits:GiftsPerSecond</c>, <c>Limits:GiftBurst</c>).</summary>
public sealed class GiftLimiter(IOptions<LimitsOptions> options, TimeProvider time)
{
    private const int PruneAbove = 10_000;
    private readonly LimitsOptions _limits = options.Value;
    private readonly TimeProvider _time = time;
    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);

    public bool TryTake(string username)
    {
        if (_buckets.Count > PruneAbove)
        {
            // A full bucket gives its user nothing extra when forgotten.
            foreach (var (name, bucket) in _buckets)
            {
                if (bucket.IsFull)
                {
                    _buckets.TryRemove(new KeyValuePair<string, TokenBucket>(name, bucket));
                }
            }
        }

        return _buckets.GetOrAdd(username, static (_, state) => new TokenBucket(state._limits.GiftsPerSecond, state._limits.GiftBurst, state._time), this).TryTake();
    }
}
