using System.Runtime.InteropServices;

namespace SafeStream.Storage.Jsonl;

/// <summary>
/// fsync of a folder, which makes a rename or a new file in it durable. .NET cannot open a folder as a file,
/// so on Unix this calls libc directly; elsewhere the rename stands as the OS made it.
/// </summary>
public static partial class DirectorySync
{
    private const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY on Linux

    /// <summary>Raised after a folder was synced (a test's view of what would survive a power loss).</summary>
    internal static event Action<string>? Flushed;

    /// <summary>Forces the names in <paramref name="directory"/> (new files, renames) to disk.</summary>
    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(directory, ReadOnlyDirectory);
        if (fd < 0)
        {
            return;
        }

        var synced = Fsync(fd) == 0;
        _ = Close(fd);
        if (synced)
        {
            Flushed?.Invoke(Path.GetFullPath(directory));
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Close(int fd);
}
