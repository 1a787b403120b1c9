namespace SafeStream.Storage.EventIds;

/// <summary>
/// Time-ordered event ids below 2^53 (browsers read JSON numbers as doubles): 41 bits of milliseconds since
/// 2020-01-01 (until 2089), 4 bits of instance, 8 bits of sequence. A full millisecond borrows the next one,
/// so ids stay unique and increasing even at 256 events per millisecond. With an <see cref="InstanceLease"/> the
/// instance number is this process's alone while it runs, and a persisted high-water mark keeps ids increasing
/// across a restart even when the clock stepped back.
/// </summary>
public sealed class EventIdGenerator
{
    public const int InstanceBits = 4;
    public const int SequenceBits = 8;
    public const long MaxId = (1L << 53) - 1;

    /// <summary>Server instances number 0 to this; the numbers above belong to the tools (migration tool, admin commands).</summary>
    public const int MaxServerInstance = 11;

    /// <summary>The first of the tools' instance numbers (12–15): each running tool leases one, so their ids never meet a server's or each other's.</summary>
    public const int FirstToolInstance = MaxServerInstance + 1;

    /// <summary>How far ahead of the ids issued the high-water mark is persisted (one small atomic write per window).</summary>
    public static readonly TimeSpan ReservationWindow = TimeSpan.FromSeconds(5);

    private const long SequenceMask = (1L << SequenceBits) - 1;
    private static readonly DateTimeOffset Epoch = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TimeProvider _time;
    private readonly long _instance;
    private readonly InstanceLease? _lease;
    private readonly Lock _lock = new();
    private long _lastMs = -1;
    private long _sequence;
    private long _reservedThroughMs = long.MaxValue;

    /// <summary>A generator without a lease (tests and benchmarks: nothing else uses <paramref name="instanceId"/>).</summary>
    public EventIdGenerator(TimeProvider time, int instanceId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(instanceId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(instanceId, 1 << InstanceBits);
        _time = time;
        _instance = instanceId;
    }

    /// <summary>A generator on a leased instance number; the lease's owner keeps it for as long as ids are made.</summary>
    public EventIdGenerator(TimeProvider time, InstanceLease lease)
        : this(time, (lease ?? throw new ArgumentNullException(nameof(lease))).Instance)
    {
        _lease = lease;
        _reservedThroughMs = lease.ReservedThroughMs;
        AdvanceToMs(lease.ReservedThroughMs); // every id issued under this number before is below its mark
    }

    /// <summary>Raised when the high-water mark could not be persisted (ids keep coming; a restart with a clock stepped back could then repeat some).</summary>
    public event Action<Exception>? ReservationFailed;

    public int Instance => (int)_instance;

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

            if (_lastMs >= _reservedThroughMs)
            {
                Reserve();
            }

            return Compose(_lastMs, _instance, _sequence);
        }
    }

    /// <summary>Makes every later id greater than <paramref name="id"/> (after a restart, seed with the largest stored id).</summary>
    public void AdvancePast(long id) => AdvanceToMs(id >> (InstanceBits + SequenceBits));

    /// <summary>The instance number that issued <paramref name="id"/>.</summary>
    public static int InstanceOf(long id) => (int)((id >> SequenceBits) & ((1 << InstanceBits) - 1));

    /// <summary>The instant an id was created.</summary>
    public static DateTimeOffset TimeOf(long id) => Epoch.AddMilliseconds(id >> (InstanceBits + SequenceBits));

    public static bool IsValid(long id) => id is > 0 and <= MaxId;

    private void AdvanceToMs(long ms)
    {
        lock (_lock)
        {
            if (ms >= _lastMs)
            {
                _lastMs = ms;
                _sequence = SequenceMask; // the next call moves to a fresh millisecond
            }
        }
    }

    // Under _lock: ids at or past the mark wait until a later mark is on disk.
    private void Reserve()
    {
        var target = _lastMs + (long)ReservationWindow.TotalMilliseconds;
        try
        {
            _lease!.Reserve(target);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ReservationFailed?.Invoke(ex);
        }

        _reservedThroughMs = target;
    }

    private static long Compose(long ms, long instance, long sequence) =>
        (ms << (InstanceBits + SequenceBits)) | (instance << SequenceBits) | sequence;
}
