using Microsoft.Win32.SafeHandles;

namespace SafeStream.Storage.Jsonl;

/// <summary>
/// An append-only file: each <see cref="Write"/> is one write system call (so a process crash keeps whole
/// appends), and <see cref="SyncUpTo"/> forces writes to disk with one fsync shared by every append waiting for it.
/// Writes must be serialised by the owner; syncs may come from any thread.
/// </summary>
internal sealed class AppendFile : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly Lock _syncLock = new();
    private long _written;
    private long _synced;

    public AppendFile(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        _handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read | FileShare.Delete);
        Length = RandomAccess.GetLength(_handle);
    }

    public string Path { get; }

    public long Length { get; private set; }

    /// <summary>Appends the bytes and answers a ticket for <see cref="SyncUpTo"/>.</summary>
    public long Write(ReadOnlySpan<byte> bytes)
    {
        RandomAccess.Write(_handle, bytes, Length);
        Length += bytes.Length;
        return Interlocked.Increment(ref _written);
    }

    /// <summary>Returns once every write up to <paramref name="ticket"/> is on disk.</summary>
    public void SyncUpTo(long ticket)
    {
        if (Volatile.Read(ref _synced) >= ticket)
        {
            return;
        }

        lock (_syncLock)
        {
            if (_synced >= ticket)
            {
                return;
            }

            // Every write that took a ticket up to here finished before we read it, so this fsync covers them all.
            var target = Volatile.Read(ref _written);
            RandomAccess.FlushToDisk(_handle);
            Volatile.Write(ref _synced, target);
        }
    }

    public void SyncAll() => SyncUpTo(Volatile.Read(ref _written));

    public void Dispose() => _handle.Dispose();
}
