namespace SafeStream.Storage.Modes;

/// <summary>DualWrite's counters: database writes that failed, and shadow reads compared with the files.</summary>
internal sealed class ShadowCounters
{
    private long _writeErrors;
    private long _reads;
    private long _mismatches;

    /// <summary>Raised after each comparison, with whether the answers matched.</summary>
    public event Action<bool>? Compared;

    /// <summary>Raised just before a shadow read asks the database (a seam for tests to write in between).</summary>
    public event Action? Reading;

    /// <summary>Raised when a shadow read overlapped a write and so compared nothing.</summary>
    public event Action? Skipped;

    public long WriteErrors => Interlocked.Read(ref _writeErrors);

    public long Reads => Interlocked.Read(ref _reads);

    public long Mismatches => Interlocked.Read(ref _mismatches);

    public void WriteFailed() => Interlocked.Increment(ref _writeErrors);

    public void ReadStarting() => Reading?.Invoke();

    public void Inconclusive() => Skipped?.Invoke();

    public void Read(bool matched)
    {
        Interlocked.Increment(ref _reads);
        if (!matched)
        {
            Interlocked.Increment(ref _mismatches);
        }

        Compared?.Invoke(matched);
    }
}
