using Microsoft.Win32.SafeHandles;

namespace SafeStream.Storage.Jsonl;

/// <summary>
/// An append-only file opened in append mode, so a write lands at the end of the file whoever else appended
/// before it. Each <see cref="Write"/> is one write system call (a process crash keeps whole appends), and
/// <see cref="SyncUpToAsync"/> forces writes to disk with one fsync shared by every append waiting for it: one
/// fsync at a time runs on a pool thread, and every append that waits meanwhile is covered by the next one, so a
/// slow disk never ties up a thread per waiting append. Writes must be serialised by the owner.
/// </summary>
internal sealed class AppendFile : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly Lock _syncLock = new();
    private long _written;
    private long _synced;
    private bool _syncing;
    private TaskCompletionSource? _waiting;

    public AppendFile(string path)
    {
        Path = path;
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var created = !File.Exists(path);
        SecureFiles.CreateDirectory(directory);
        _handle = NativeFile.OpenAppend(path);
        if (created)
        {
            DirectorySync.Flush(directory); // the new name survives a power loss, not only its content
        }

        Length = RandomAccess.GetLength(_handle);
    }

    public string Path { get; }

    /// <summary>The file's length after our last write (or refresh); other processes may have appended since.</summary>
    public long Length { get; private set; }

    /// <summary>False once the path names another file (rotated or removed by someone else).</summary>
    public bool StillAtPath => NativeFile.Names(_handle, Path);

    /// <summary>Reads the length the file has now, appends of other processes included.</summary>
    public long Refresh() => Length = RandomAccess.GetLength(_handle);

    /// <summary>Appends the bytes and answers a ticket for <see cref="SyncUpTo"/>.</summary>
    public long Write(ReadOnlySpan<byte> bytes)
    {
        RandomAccess.Write(_handle, bytes, Length); // the offset is ignored in append mode: the kernel writes at the end
        Length += bytes.Length;
        return Interlocked.Increment(ref _written);
    }

    /// <summary>Completes once every write up to <paramref name="ticket"/> is on disk.</summary>
    public Task SyncUpToAsync(long ticket)
    {
        if (Volatile.Read(ref _synced) >= ticket)
        {
            return Task.CompletedTask;
        }

        lock (_syncLock)
        {
            if (_synced >= ticket)
            {
                return Task.CompletedTask;
            }

            var waiting = _waiting ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_syncing)
            {
                _syncing = true;
                _ = Task.Run(SyncRounds);
            }

            return waiting.Task;
        }
    }

    /// <summary>Returns once everything written is on disk (closing a file, rotating it).</summary>
    public void SyncAll()
    {
        lock (_syncLock)
        {
            RandomAccess.FlushToDisk(_handle);
            Volatile.Write(ref _synced, Math.Max(_synced, Volatile.Read(ref _written)));
        }
    }

    public void Dispose() => _handle.Dispose();

    // Each round takes the waiters so far: their writes all took tickets before they waited, so the writes
    // counted at the start of the round cover them.
    private void SyncRounds()
    {
        while (true)
        {
            TaskCompletionSource? waiting;
            long target;
            lock (_syncLock)
            {
                waiting = _waiting;
                _waiting = null;
                if (waiting is null)
                {
                    _syncing = false;
                    return;
                }

                target = Volatile.Read(ref _written);
            }

            try
            {
                RandomAccess.FlushToDisk(_handle);
                lock (_syncLock)
                {
                    Volatile.Write(ref _synced, Math.Max(_synced, target));
                }

                waiting.TrySetResult();
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or UnauthorizedAccessException)
            {
                waiting.TrySetException(ex);
            }
        }
    }
}
