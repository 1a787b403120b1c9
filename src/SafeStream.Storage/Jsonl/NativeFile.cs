using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SafeStream.Storage.Jsonl;

/// <summary>
/// What .NET's file API cannot say on Unix: a true append-mode open (<c>O_APPEND</c>: every write lands at the end
/// of the file as it is then, whoever else appends), and whether a handle still names the file at a path (another
/// process may have rotated it away). .NET's <c>FileMode.Append</c> only seeks once and then writes at its own offset.
/// </summary>
internal static partial class NativeFile
{
    private const int WriteOnly = 0x1, Create = 0x40, Append = 0x400, CloseOnExec = 0x80000; // Linux open(2) flags
    private const int StatBytes = 256; // larger than struct stat on every 64-bit Linux; st_dev and st_ino come first

    /// <summary>Opens <paramref name="path"/> for appending, creating it (mode 0600) when missing.</summary>
    public static SafeFileHandle OpenAppend(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return File.OpenHandle(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        }

        var fd = Open(path, WriteOnly | Create | Append | CloseOnExec, (int)SecureFiles.FileMode);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                2 => new DirectoryNotFoundException($"Could not find a part of the path '{path}'."),
                13 or 1 => new UnauthorizedAccessException($"Access to the path '{path}' is denied."),
                _ => new IOException($"{path}: cannot open for appending (errno {errno})"),
            };
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>True when <paramref name="handle"/> is the file <paramref name="path"/> names now (same device and inode).</summary>
    public static bool Names(SafeFileHandle handle, string path)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (!OperatingSystem.IsLinux())
        {
            return File.Exists(path);
        }

        Span<byte> open = stackalloc byte[StatBytes];
        Span<byte> named = stackalloc byte[StatBytes];
        if (Fstat((int)handle.DangerousGetHandle(), ref MemoryMarshal.GetReference(open)) != 0)
        {
            return false;
        }

        return Stat(path, ref MemoryMarshal.GetReference(named)) == 0 && open[..16].SequenceEqual(named[..16]);
    }

    /// <summary>
    /// What changes whenever the file at <paramref name="path"/> is rewritten or replaced: device and inode (a rename
    /// over it), modification time and length; default when there is no file.
    /// </summary>
    public static FileStamp Stamp(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return default;
        }

        Span<byte> named = stackalloc byte[StatBytes];
        var (device, inode) = OperatingSystem.IsLinux() && Stat(path, ref MemoryMarshal.GetReference(named)) == 0
            ? (BitConverter.ToInt64(named[..8]), BitConverter.ToInt64(named[8..16]))
            : (0L, 0L);
        return new FileStamp(device, inode, info.LastWriteTimeUtc, info.Length);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Fstat(int fd, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Stat(string path, ref byte buffer);
}

/// <summary>See <see cref="NativeFile.Stamp"/>.</summary>
internal readonly record struct FileStamp(long Device, long Inode, DateTime LastWriteUtc, long Length);
