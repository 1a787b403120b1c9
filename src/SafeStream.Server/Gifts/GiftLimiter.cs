using Microsoft.Extensions.Options;
using SafeStream.Server.Chat;

namespace SafeStream.Server.Gifts;

/// <summary>A token bucket per sender, like chat's (<c>Limits:GiftsPerSecond</c>, <c>Limits:GiftBurst</c>).</summary>
internal sealed class GiftLimiter(IOptions<LimitsOptions> options, TimeProvider time)
{
    private const int PruneAbove = 10_000;
    private readonly UserBuckets _buckets = new(options.Value.GiftsPerSecond, options.Value.GiftBurst, time);

    public bool TryTake(string username)
    {
        if (_buckets.Count > PruneAbove)
        {
            _buckets.ForgetFull();
        }

        return _buckets.For(username).TryTake();
    }
}
