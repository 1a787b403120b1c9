using Microsoft.Win32.SafeHandles;

namespace SafeStream.Storage.Jsonl;

/// <summary>
/// An append-only file opened in append mode, so a write lands at the end of the file whoever else appended
/// before it. Each <see cref="Write"/> is one write system call (a process crash keeps whole appends), and
/// <see cref="SyncUpTo"/> forces writes to disk with one fsync shared by every append waiting for it.
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
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var created = !File.Exists(path);
        Directory.CreateDirectory(directory);
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
