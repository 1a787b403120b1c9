namespace SafeStream.Storage.Locking;

/// <summary>
/// Held around one change of a file that other processes change too (a log append and its rotation, a
/// <c>users.json</c> update): one holder at a time in this process and across processes, through a lock file beside
/// it that stays open between changes, so an uncontended hold costs two system calls.
/// </summary>
internal sealed class CrossProcessLock(string path) : IDisposable
{
    /// <summary>How long a change waits for another process's before it fails as an I/O error.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly Lock _local = new();
    private FileStream? _file;

    public string Path => path;

    /// <summary>Waits for the lock; dispose the answer (on the same thread) to release it.</summary>
    public Scope Hold()
    {
        _local.Enter();
        try
        {
            // A lock file removed by hand would leave us locking a file nobody else can see: open it again.
            if (_file is not null && !File.Exists(path))
            {
                _file.Dispose();
                _file = null;
            }

            _file ??= FileLock.Open(path);
            FileLock.Lock(_file, Wait);
            return new Scope(this);
        }
        catch
        {
            _local.Exit();
            throw;
        }
    }

    public void Dispose()
    {
        lock (_local)
        {
            _file?.Dispose();
            _file = null;
        }
    }

    public readonly struct Scope(CrossProcessLock owner) : IDisposable
    {
        public void Dispose()
        {
            FileLock.Release(owner._file!);
            owner._local.Exit();
        }
    }
}
