using System.Data.Common;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace SafeStream.Storage.Database;

/// <summary>
/// Detects a database file that was deleted, moved or replaced while a connection had it open. On Linux such a
/// connection goes on reading and committing into the orphaned file, and every write is silently lost; this asks
/// SQLite itself (<c>SQLITE_FCNTL_HAS_MOVED</c>: the path is gone or names another inode).
/// </summary>
internal static partial class SqliteFileCheck
{
    private const int HasMoved = 20; // SQLITE_FCNTL_HAS_MOVED

    public static void EnsureInPlace(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } sqlite || !Moved(handle.DangerousGetHandle(), sqlite.DataSource))
        {
            return;
        }

        throw new IOException($"The database file {sqlite.DataSource} was deleted, moved or replaced while open; refusing to use the orphaned file.");
    }

    private static bool Moved(IntPtr db, string path)
    {
        try
        {
            var moved = 0;
            return FileControl(db, "main", HasMoved, ref moved) == 0 ? moved != 0 : !File.Exists(path);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return !File.Exists(path); // another SQLite build: at least notice a missing file
        }
    }

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_file_control", StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories)]
    private static partial int FileControl(IntPtr db, string name, int op, ref int arg);
}
