namespace SafeStream.Storage.Locking;

/// <summary>Whether a server runs on the legacy folder of these options right now (it holds its seat, see <see cref="ServerSeat"/>).</summary>
public static class RunningServer
{
    public static bool Holds(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = ServerSeat.PathFor(options.ResolvedLogsPath);
        if (!File.Exists(path))
        {
            return false;
        }

        using var file = FileLock.Open(path);
        if (!FileLock.TryLock(file))
        {
            return true;
        }

        FileLock.Release(file);
        return false;
    }
}
