namespace SafeStream.Storage.Jsonl;

/// <summary>
/// Base of the two JSONL writers (legacy logs, journal): one writer per file, appends serialised by one lock,
/// and the fsync policy applied after the lock is released so concurrent appends share one fsync.
/// </summary>
internal abstract class DurableWriter : IDisposable
{
    private readonly FsyncPolicy _policy;
    private readonly ITimer? _timer;
    private bool _disposed;

    protected DurableWriter(FsyncPolicy policy, int intervalMs, TimeProvider time)
    {
        _policy = policy;
        if (policy == FsyncPolicy.Interval)
        {
            var period = TimeSpan.FromMilliseconds(intervalMs);
            _timer = time.CreateTimer(_ => SyncCurrent(), null, period, period);
        }
    }

    protected Lock WriteLock { get; } = new();

    /// <summary>The file being appended to, or null before the first append.</summary>
    protected AppendFile? Current { get; set; }

    /// <summary>Makes a write durable per the policy: fsync now (shared with the other waiting writes), or flushed to the OS and synced by the timer.</summary>
    protected Task CommitAsync(AppendFile file, long ticket) =>
        _policy == FsyncPolicy.EveryWrite ? file.SyncUpToAsync(ticket) : Task.CompletedTask;

    /// <summary>Closes a file that will not be written again (rotation, new segment), on disk first.</summary>
    protected static void Retire(AppendFile file)
    {
        file.SyncAll();
        file.Dispose();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _timer?.Dispose();
        lock (WriteLock)
        {
            if (Current is { } file)
            {
                Retire(file);
                Current = null;
            }
        }

        DisposeMore();
    }

    /// <summary>Releases what a writer holds besides its file.</summary>
    protected virtual void DisposeMore()
    {
    }

    private void SyncCurrent()
    {
        AppendFile? file;
        lock (WriteLock)
        {
            file = Current;
        }

        try
        {
            file?.SyncAll();
        }
        catch (ObjectDisposedException)
        {
            // rotated away between the read and the sync; Retire synced it
        }
    }
}
