using SafeStream.Storage;
using SafeStream.Storage.Journal;
using SafeStream.Storage.Locking;

namespace SafeStream.Migrate.Archive;

/// <summary>
/// The files of the legacy store: users.json, everything under logs/ and journal/ (segments and checkpoint), and
/// settings.json beside users.json. That is every file the phase F guard looks for, and the rest of the store too.
/// </summary>
internal static class LegacyFileSet
{
    public static List<(string Path, string EntryName)> Find(StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var files = new List<(string, string)>();
        var users = Path.GetFullPath(storage.ResolvedUsersFile);
        if (File.Exists(users))
        {
            files.Add((users, "users.json"));
        }

        var settings = Path.Combine(Path.GetDirectoryName(users)!, "settings.json");
        if (File.Exists(settings))
        {
            files.Add((settings, "settings.json"));
        }

        files.AddRange(Folder(storage.ResolvedLogsPath, "logs"));
        files.AddRange(Folder(storage.ResolvedJournalPath, "journal"));
        return files;
    }

    /// <summary>
    /// Deletes what was packed, each file only if unchanged since, under the locks its writers take (so nothing can
    /// be appended between the check and the delete), then logs/ and journal/ once only lock files are left and no
    /// live process holds them; answers the files that changed and were kept.
    /// </summary>
    public static List<string> Remove(IReadOnlyList<ArchivedFile> packed, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(packed);
        ArgumentNullException.ThrowIfNull(storage);
        var changed = new List<string>();
        using (FileLocks.UsersFile(Path.GetFullPath(storage.ResolvedUsersFile)))
        using (FileLocks.Logs(Path.GetFullPath(storage.ResolvedLogsPath)))
        {
            foreach (var file in packed)
            {
                if (Archiver.Unchanged(file))
                {
                    File.Delete(file.Path);
                }
                else
                {
                    changed.Add(file.Path);
                }
            }

            RemoveIfOnlyLocks(storage.ResolvedLogsPath); // its lock is ours right now
        }

        // The journal's lock is held by its owner for as long as it runs: the folder goes only when nobody does.
        if (Directory.Exists(storage.ResolvedJournalPath))
        {
            using var owner = ProcessLease.TryAcquire(Path.Combine(storage.ResolvedJournalPath, JournalFiles.LockName), TimeProvider.System);
            if (owner is not null)
            {
                RemoveIfOnlyLocks(storage.ResolvedJournalPath);
            }
        }

        return changed;
    }

    private static void RemoveIfOnlyLocks(string folder)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).All(f => FileLocks.IsLockFile(Path.GetFileName(f))))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // Lock files are not data: another process may hold one, and removing it would let two owners in.
    private static IEnumerable<(string, string)> Folder(string folder, string entryPrefix) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => !FileLocks.IsLockFile(Path.GetFileName(f)))
                .Order(StringComparer.Ordinal)
                .Select(f => (Path.GetFullPath(f), entryPrefix + "/" + Path.GetRelativePath(folder, f).Replace('\\', '/')))
            : [];
}
