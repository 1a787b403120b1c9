using System.Runtime.InteropServices;

namespace SafeStream.Storage;

/// <summary>
/// Every folder SafeStream makes is its owner's alone (0700) and every file 0600, whatever the umask: password hashes,
/// messages and the lock files other processes honour are no other local user's to read or to hold a lock on. The
/// modes are given when a file or folder is created (no window in which it is open to others); SQLite gives its
/// <c>-wal</c>, <c>-shm</c> and <c>-journal</c> files the main file's mode, so a database is created here, empty, before
/// SQLite opens it. On Windows the modes do not apply and the calls do what .NET's plain ones do.
/// </summary>
public static partial class SecureFiles
{
    /// <summary>rwx for the owner only (0700).</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw for the owner only (0600).</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The bits that let anyone but the owner in.</summary>
    public const UnixFileMode OthersBits = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Sets the process umask to 077, so what libraries create on their own (Serilog's log files and their folder,
    /// SQLite's temporary files) is the owner's alone too. Called first thing by the server, its admin command line
    /// and the migration tool; never by the library itself, which may be hosted by a process that wants its own.
    /// </summary>
    public static void RestrictUmask()
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = Umask(0b000_111_111);
        }
    }

    /// <summary>Creates <paramref name="path"/> and every missing parent 0700; an existing folder keeps its mode.</summary>
    public static DirectoryInfo CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return Directory.CreateDirectory(path);
        }

        // .NET gives the mode to the last folder only (missing parents get 0777 less the umask), so each missing
        // folder is made on its own, from the top down.
        var missing = new Stack<string>();
        for (var folder = Path.GetFullPath(path); folder is not null && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
        {
            missing.Push(folder);
        }

        while (missing.TryPop(out var folder))
        {
            Directory.CreateDirectory(folder, FolderMode);
        }

        return new DirectoryInfo(path);
    }

    /// <summary>Creates the folder that will hold <paramref name="filePath"/> (and its missing parents) 0700.</summary>
    public static void CreateParent(string filePath) =>
        CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(filePath))!);

    /// <summary>A <see cref="FileStream"/> whose file, when this call creates it, is 0600.</summary>
    public static FileStream Open(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize = 4096, FileOptions options = FileOptions.None)
    {
        var settings = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = bufferSize, Options = options };
        if (!OperatingSystem.IsWindows() && mode is not (System.IO.FileMode.Open or System.IO.FileMode.Truncate))
        {
            settings.UnixCreateMode = FileMode; // .NET refuses a create mode for an open that cannot create
        }

        return new FileStream(path, settings);
    }

    /// <summary>
    /// Creates an empty <paramref name="path"/> 0600 (and its folder 0700) unless it exists; an existing file is left
    /// as it is. SQLite takes an empty file for a new database and gives the files beside it the same mode.
    /// </summary>
    public static void CreateEmptyFile(string path)
    {
        CreateParent(path);
        using var _ = Open(path, System.IO.FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 1);
    }

    /// <summary>The mode of <paramref name="path"/> when it exists and lets others in (group or world bits); null otherwise.</summary>
    public static UnixFileMode? OpenToOthers(string path)
    {
        if (OperatingSystem.IsWindows() || !(File.Exists(path) || Directory.Exists(path)))
        {
            return null;
        }

        var mode = File.GetUnixFileMode(path);
        return (mode & OthersBits) != 0 ? mode : null;
    }

    /// <summary>A mode as <c>ls</c> and <c>chmod</c> write it in octal (<c>0644</c>).</summary>
    public static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0b111_111_111, 8).PadLeft(3, '0');

    [LibraryImport("libc", EntryPoint = "umask")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial uint Umask(uint mask);
}
