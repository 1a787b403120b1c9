using System.Globalization;
using System.Text;

namespace SafeStream.Storage.Locking;

/// <summary>
/// What a process holds for as long as it runs on something only one process may own: a journal folder, an event
/// id instance number. The lock file names its holder (pid, command, host, since when) for the error another
/// process shows when it finds the lease taken; the lock itself goes away with the process, even on kill -9.
/// </summary>
public sealed class ProcessLease : IDisposable
{
    private readonly FileStream _file;

    private ProcessLease(FileStream file, string path)
    {
        _file = file;
        Path = path;
    }

    public string Path { get; }

    /// <summary>The lease, or null when another process (or another owner in this one) holds it.</summary>
    public static ProcessLease? TryAcquire(string path, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var file = FileLock.Open(path);
        try
        {
            if (!FileLock.TryLock(file))
            {
                file.Dispose();
                return null;
            }

            file.SetLength(0);
            file.Write(Encoding.UTF8.GetBytes(Describe(time) + "\n"));
            file.Flush();
            return new ProcessLease(file, path);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Who holds the lease at <paramref name="path"/>, as its holder described itself.</summary>
    public static string Holder(string path) => FileLock.Describe(path);

    public void Dispose() => _file.Dispose();

    private static string Describe(TimeProvider time)
    {
        var command = string.Join(' ', Environment.GetCommandLineArgs().Select(a => System.IO.Path.GetFileName(a) is { Length: > 0 } n && a.Contains('/', StringComparison.Ordinal) ? n : a));
        return string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId} ({command}) on {Environment.MachineName} since {time.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ}");
    }
}
