using SafeStream.Storage;

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

    /// <summary>Deletes what was packed, and logs/ and journal/ once empty; answers the files that changed since and were kept.</summary>
    public static List<string> Remove(IReadOnlyList<ArchivedFile> packed, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(packed);
        ArgumentNullException.ThrowIfNull(storage);
        var changed = new List<string>();
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

        foreach (var folder in new[] { storage.ResolvedLogsPath, storage.ResolvedJournalPath })
        {
            if (Directory.Exists(folder) && !Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Any())
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        return changed;
    }

    private static IEnumerable<(string, string)> Folder(string folder, string entryPrefix) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal)
                .Select(f => (Path.GetFullPath(f), entryPrefix + "/" + Path.GetRelativePath(folder, f).Replace('\\', '/')))
            : [];
}
