namespace SafeStream.Server.Chat;

/// <summary>A per-user token bucket: <c>burst</c> messages at once, then <c>rate</c> per second.</summary>
internal sealed class TokenBucket(double ratePerSecond, int burst, TimeProvider time)
{
    private readonly Lock _lock = new();
    private double _tokens = burst;
    private long _last = time.GetTimestamp();

    /// <summary>Whether the bucket has refilled completely, so forgetting it gives its user nothing extra.</summary>
    public bool IsFull
    {
        get
        {
            if (ratePerSecond <= 0)
            {
                return true;
            }

            lock (_lock)
            {
                return _tokens + (time.GetElapsedTime(_last).TotalSeconds * ratePerSecond) >= burst;
            }
        }
    }

    public bool TryTake()
    {
        if (ratePerSecond <= 0)
        {
            return true; // the limit is lifted
        }

        lock (_lock)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(burst, _tokens + (time.GetElapsedTime(_last, now).TotalSeconds * ratePerSecond));
            _last = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }
}
