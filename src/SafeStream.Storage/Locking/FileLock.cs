using System.Runtime.InteropServices;

namespace SafeStream.Storage.Locking;

/// <summary>
/// An advisory write lock on a whole file that every SafeStream process honours. On Linux it is an open-file-
/// description lock (<c>fcntl F_OFD_SETLK</c>): it belongs to the open file, not to the process, so two opens conflict
/// even inside one process, closing some other handle never drops it, and it goes away with the process however that
/// ends (kill -9 included). It does not block .NET's own opens of the file, so a holder's description stays readable.
/// Elsewhere only the holders inside this process are excluded.
/// </summary>
internal static partial class FileLock
{
    private const int SetLock = 37; // F_OFD_SETLK
    private const short ReadLock = 0; // F_RDLCK
    private const short WriteLock = 1; // F_WRLCK
    private const short Unlock = 2; // F_UNLCK

    /// <summary>Opens (creating) the lock file; the handle is the caller's to keep or close.</summary>
    public static FileStream Open(string path)
    {
        SecureFiles.CreateParent(path);
        return SecureFiles.Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 1);
    }

    /// <summary>
    /// Takes the lock on <paramref name="file"/> if nobody holds it; false when another open holds it. A
    /// <paramref name="shared"/> lock excludes only exclusive ones; the holder of a shared lock may ask again for the
    /// exclusive one (granted when it is the only holder) or go back to shared.
    /// </summary>
    public static bool TryLock(FileStream file, bool shared = false)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!OperatingSystem.IsLinux())
        {
            return true;
        }

        var request = new Flock { Type = shared ? ReadLock : WriteLock };
        if (Fcntl(Fd(file), SetLock, ref request) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno is 11 or 13 // EAGAIN, EACCES: held by another open
            ? false
            : throw new IOException($"cannot lock {file.Name}: errno {errno}");
    }

    /// <summary>Takes the lock, waiting for another holder with a short backoff until <paramref name="timeout"/>.</summary>
    public static void Lock(FileStream file, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(file);
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var pause = 1;
        while (!TryLock(file))
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new IOException($"{file.Name} has been locked by another process for more than {timeout.TotalSeconds:0.#} s ({Describe(file.Name)})");
            }

            Thread.Sleep(pause);
            pause = Math.Min(pause * 2, 50);
        }
    }

    public static void Release(FileStream file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (OperatingSystem.IsLinux())
        {
            var request = new Flock { Type = Unlock };
            _ = Fcntl(Fd(file), SetLock, ref request);
        }
    }

    /// <summary>What a holder wrote into the lock file about itself, for error messages.</summary>
    public static string Describe(string path)
    {
        try
        {
            var text = File.ReadAllText(path).Trim();
            return text.Length == 0 ? "holder unknown" : text;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "holder unknown";
        }
    }

    private static int Fd(FileStream file) => (int)file.SafeFileHandle.DangerousGetHandle();

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Fcntl(int fd, int command, ref Flock request);

    // struct flock on 64-bit Linux: short l_type, short l_whence, off_t l_start, off_t l_len, pid_t l_pid.
    // Zero start and length (from SEEK_SET) cover the whole file; l_pid must be 0 for OFD locks.
    [StructLayout(LayoutKind.Sequential)]
    private struct Flock
    {
        public short Type;
        public short Whence;
        public long Start;
        public long Length;
        public int Pid;
    }
}
