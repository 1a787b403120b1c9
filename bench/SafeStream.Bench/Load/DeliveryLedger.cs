namespace SafeStream.Bench.Load;

/// <summary>
/// What one client received over a whole run (warm-up and drain included, not only the window), per sender, so that a
/// run can check that every client received every accepted message exactly once: a count per sender, and the messages
/// that were not newer than the last one from the same sender (a duplicate, or one out of the sender's order; each
/// message carries its scheduled send time, which grows with each message of a sender). With several instances it
/// also keeps, in the window, the latency of the messages sent on another instance than this client's.
/// Written by the client's receive and send loops only, read after the run.
/// </summary>
internal sealed class DeliveryLedger
{
    private readonly long[] _received;
    private readonly long[] _last;
    private readonly int _instance;
    private readonly int _instances;

    private readonly long _since;
    private long _total;

    /// <summary>A ledger for a client on <paramref name="instance"/> of <paramref name="instances"/>, of the messages scheduled from <paramref name="since"/> (Stopwatch ticks) on.</summary>
    public DeliveryLedger(int senders, int instance, int instances, long since)
    {
        _since = since;
        _received = new long[senders];
        _last = new long[senders];
        Array.Fill(_last, long.MinValue);
        _instance = instance;
        _instances = instances;
    }

    /// <summary>Latency, in the window, of messages from senders on another instance (client i is on instance i mod n).</summary>
    public LatencyHistogram Remote { get; } = new();

    /// <summary>Latency, in the window, of messages from senders on this client's instance.</summary>
    public LatencyHistogram Local { get; } = new();

    /// <summary>Messages that came again or out of their sender's order.</summary>
    public long OutOfOrder { get; private set; }

    /// <summary>Frames of a blocked message (only its sender should ever see one); not counted as received.</summary>
    public long Blocked { get; private set; }

    /// <summary>Messages this client sent over the whole run (when it is a sender).</summary>
    public long Sent { get; private set; }

    /// <summary>Frames recorded so far, all senders (read by another thread to see when deliveries stop).</summary>
    public long Total => Volatile.Read(ref _total);

    public long Received(int sender) => _received[sender];

    public void CountSent() => Sent++;

    public void CountBlocked() => Blocked++;

    public void Record(int sender, long scheduled, long microseconds, bool measuring)
    {
        if ((uint)sender >= (uint)_received.Length || scheduled < _since)
        {
            return; // not one of this run's messages (a late frame of an earlier run)
        }

        _received[sender]++;
        Volatile.Write(ref _total, _total + 1);
        OutOfOrder += scheduled <= _last[sender] ? 1 : 0;
        _last[sender] = Math.Max(_last[sender], scheduled);
        if (measuring)
        {
            (sender % _instances != _instance ? Remote : Local).Record(microseconds);
        }
    }
}
