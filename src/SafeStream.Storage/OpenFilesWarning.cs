using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace SafeStream.Storage;

/// <summary>
/// What SafeStream creates is 0700/0600 (<see cref="SecureFiles"/>), but a deployment made before, or by hand, may
/// hold the same data open to other local users: password hashes, every message, and lock files another user could
/// hold a read lock on to stop the server. Their modes are not changed behind the operator's back (a group may have
/// been given them on purpose); each one is named at start with the command that closes it.
/// </summary>
internal static partial class OpenFilesWarning
{
    /// <summary>The folders and files of <paramref name="options"/> that exist and let others in, with their modes.</summary>
    public static IEnumerable<(string Path, UnixFileMode Mode)> Find(StorageOptions options)
    {
        var paths = new List<string> { options.LegacyPath, options.ResolvedUsersFile, options.ResolvedLogsPath, options.ResolvedJournalPath, options.BackupsPath };
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            var database = Path.GetFullPath(new SqliteConnectionStringBuilder(options.ConnectionString).DataSource);
            paths.AddRange([Path.GetDirectoryName(database)!, database, database + "-wal", database + "-shm"]);
        }

        foreach (var path in paths.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
        {
            if (SecureFiles.OpenToOthers(path) is { } mode)
            {
                yield return (path, mode);
            }
        }
    }

    public static void Log(StorageOptions options, ILogger logger)
    {
        foreach (var (path, mode) in Find(options))
        {
            LogOpen(logger, path, SecureFiles.Octal(mode));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} is open to other local users (mode {Mode}): they can read password hashes or messages, or hold a lock that stops this server; close it with chmod -R go-rwx (folders 0700, files 0600), see docs/OPERATING.md, Deploying")]
    private static partial void LogOpen(ILogger logger, string path, string mode);
}
