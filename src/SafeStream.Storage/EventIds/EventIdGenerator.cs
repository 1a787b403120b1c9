namespace SafeStream.Storage.EventIds;

/// <summary>
/// Time-ordered event ids below 2^53 (browsers read JSON numbers as doubles): 41 bits of milliseconds since
/// 2020-01-01 (until 2089), 3 bits of instance, 9 bits of sequence. A full millisecond borrows the next one,
/// so ids stay unique and increasing even at 512 events per millisecond.
/// </summary>
public sealed class EventIdGenerator
{
    public const int InstanceBits = 3;
    public const int SequenceBits = 9;
    public const long MaxId = (1L << 53) - 1;

    /// <summary>The instance number of the tools (the migration tool, the server's admin commands), so their ids never meet a running server's.</summary>
    public const int MigrationInstance = 7;

    private const long SequenceMask = (1L << SequenceBits) - 1;
    private static readonly DateTimeOffset Epoch = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TimeProvider _time;
    private readonly long _instance;
    private readonly Lock _lock = new();
    private long _lastMs = -1;
    private long _sequence;

    public EventIdGenerator(TimeProvider time, int instanceId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(instanceId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(instanceId, 1 << InstanceBits);
        _time = time;
        _instance = instanceId;
    }

    public long Next()
    {
        lock (_lock)
        {
            var now = (long)(_time.GetUtcNow() - Epoch).TotalMilliseconds;
            if (now > _lastMs)
            {
                _lastMs = now;
                _sequence = 0;
            }
            else if (++_sequence > SequenceMask)
            {
                // Full (or the clock went back): borrow the next millisecond rather than repeat an id.
                _lastMs++;
                _sequence = 0;
            }

            return Compose(_lastMs, _instance, _sequence);
        }
    }

    /// <summary>Makes every later id greater than <paramref name="id"/> (after a restart, seed with the largest stored id).</summary>
    public void AdvancePast(long id)
    {
        lock (_lock)
        {
            var ms = id >> (InstanceBits + SequenceBits);
            if (ms >= _lastMs)
            {
                _lastMs = ms;
                _sequence = SequenceMask; // the next call moves to a fresh millisecond
            }
        }
    }

    /// <summary>The instant an id was created.</summary>
    public static DateTimeOffset TimeOf(long id) => Epoch.AddMilliseconds(id >> (InstanceBits + SequenceBits));

    public static bool IsValid(long id) => id is > 0 and <= MaxId;

    private static long Compose(long ms, long instance, long sequence) =>
        (ms << (InstanceBits + SequenceBits)) | (instance << SequenceBits) | sequence;
}
