namespace SafeStream.Bench.Load;

/// <summary>
/// Latencies in microseconds, log-linear buckets (1 µs below 64 µs, then 64 buckets per power of two, ≈1.6 %
/// resolution) up to about an hour. One per client, written by its receive loop only, merged at the end.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 64;
    private const int Powers = 32;
    private readonly long[] _counts = new long[SubBuckets * (Powers + 1)];

    public long Count { get; private set; }

    public void Record(long microseconds)
    {
        var value = Math.Max(0, microseconds);
        _counts[Index(value)]++;
        Count++;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
    }

    /// <summary>The latency at quantile <paramref name="q"/> (0–1), in milliseconds; NaN when nothing was recorded.</summary>
    public double PercentileMilliseconds(double q)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(q * Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= Math.Max(rank, 1))
            {
                return UpperBound(i) / 1000.0;
            }
        }

        return UpperBound(_counts.Length - 1) / 1000.0;
    }

    private static int Index(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }

        var power = Math.Min(63 - (int)long.LeadingZeroCount(value) - 5, Powers); // 64 = 2^6 → power 1
        var shift = power - 1;
        var sub = (int)((value >> shift) - SubBuckets) % SubBuckets;
        return Math.Min((power * SubBuckets) + sub, (SubBuckets * (Powers + 1)) - 1);
    }

    private static long UpperBound(int index)
    {
        if (index < SubBuckets)
        {
            return index;
        }

        var power = index / SubBuckets;
        var sub = index % SubBuckets;
        return ((long)(SubBuckets + sub + 1) << (power - 1)) - 1;
    }
}
