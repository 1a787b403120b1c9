using SafeStream.Storage;

namespace SafeStream.Migrate.Cli;

/// <summary>
/// One import, archive, export or copy at a time per database. The lock is the operating system's (an exclusive open), so it
/// goes away with the process however it ends, even on kill -9: a stale lock file never blocks the next run.
/// </summary>
internal sealed class ToolLock : IDisposable
{
    private readonly FileStream _file;

    private ToolLock(FileStream file) => _file = file;

    public static ToolLock Acquire(string path, string command)
    {
        SecureFiles.CreateParent(path);
        FileStream file;
        try
        {
            file = SecureFiles.Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new ToolException(ExitCodes.Locked, $"another import, archive, export or copy is running on this database (it holds {path}); wait for it to finish");
        }

        // For a person looking at the file: who holds it. The lock itself is the open handle.
        file.SetLength(0);
        using (var writer = new StreamWriter(file, leaveOpen: true))
        {
            writer.WriteLine($"{command} pid {Environment.ProcessId}");
        }

        return new ToolLock(file);
    }

    public void Dispose() => _file.Dispose();
}
