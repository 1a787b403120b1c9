using System.Globalization;
using System.Text;

namespace SafeStream.Storage.Locking;

/// <summary>
/// A server's seat on the legacy logs folder (<c>.server.lock</c>) for its life. The file modes write the legacy files
/// as the only record, so they keep the folder for one server: a server in <c>JsonlOnly</c> or <c>DualWrite</c> holds
/// the lock exclusively; one in a database mode holds it shared, so any number of them may run beside each other but
/// none beside a file-mode server. Tools never take a seat (they use the per-file locks). On Linux only, like the other
/// cross-process locks.
/// </summary>
internal sealed class ServerSeat : IDisposable
{
    private readonly FileStream _file;

    private ServerSeat(FileStream file, bool exclusive)
    {
        _file = file;
        Exclusive = exclusive;
    }

    public bool Exclusive { get; private set; }

    public static string PathFor(string logsPath) => Path.Combine(Path.GetFullPath(logsPath), ".server.lock");

    /// <summary>The seat, or an error that says who holds the folder and why that refuses this start.</summary>
    public static ServerSeat Take(string path, StorageMode mode, TimeProvider time)
    {
        var exclusive = KeepsFolder(mode);
        var file = FileLock.Open(path);
        if (!FileLock.TryLock(file, shared: !exclusive))
        {
            file.Dispose();
            throw new InvalidOperationException(Refusal(path, mode, exclusive));
        }

        if (exclusive)
        {
            // A shared holder cannot be named (each would overwrite the others); the exclusive one can.
            file.SetLength(0);
            file.Write(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId} in {mode} since {time.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ}\n")));
            file.Flush();
        }

        return new ServerSeat(file, exclusive);
    }

    /// <summary>Moves to the seat <paramref name="mode"/> needs; the reason when another server stands in the way.</summary>
    public string? Change(StorageMode mode)
    {
        var exclusive = KeepsFolder(mode);
        if (exclusive == Exclusive)
        {
            return null;
        }

        if (!FileLock.TryLock(_file, shared: !exclusive))
        {
            return $"another server instance runs on the legacy folder {Path.GetDirectoryName(_file.Name)}; {mode} keeps it for one server instance";
        }

        Exclusive = exclusive;
        return null;
    }

    public void Dispose() => _file.Dispose();

    /// <summary>The file modes, whose legacy files are the only record, keep the folder for one server.</summary>
    private static bool KeepsFolder(StorageMode mode) => mode is StorageMode.JsonlOnly or StorageMode.DualWrite;

    private static string Refusal(string path, StorageMode mode, bool exclusive) => exclusive
        ? $"Storage:Mode {mode} keeps the legacy folder {Path.GetDirectoryName(path)} for one server instance, and another server runs on it; " +
          "several instances need a database mode (DatabaseFirst or DatabaseOnly) on PostgreSQL, each with its own journal folder. The migration tool and the admin commands may still run beside it"
        : $"another server instance holds the legacy folder {Path.GetDirectoryName(path)} in a file mode ({FileLock.Describe(path)}): a file mode keeps the legacy folder for one server instance; " +
          "switch it to DatabaseFirst or DatabaseOnly before starting more instances";
}
