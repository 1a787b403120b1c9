using SafeStream.Storage.Journal;

namespace SafeStream.Storage;

/// <summary>
/// The rule for making a new database: only on a first start, which is one with no journal checkpoint, no database
/// backup, no archive of legacy files and <c>Storage:LegacyRetired</c> unset. Anything else means a database was
/// in use before, and one that is missing now must be found, not replaced by an empty one.
/// </summary>
internal static class FirstStart
{
    /// <summary>Null on a first start; otherwise the evidence that a database was in use before.</summary>
    public static string? WhyNot(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.LegacyRetired)
        {
            return "Storage:LegacyRetired is set";
        }

        if (SpillJournal.HasCheckpoint(options.ResolvedJournalPath))
        {
            return $"the journal {Path.GetFullPath(options.ResolvedJournalPath)} has a replay checkpoint";
        }

        var backups = Path.GetFullPath(options.BackupsPath);
        if (Directory.Exists(backups) && Directory.EnumerateFiles(backups).Select(Path.GetFileName).FirstOrDefault(IsBackupOrArchive) is { } found)
        {
            return $"{Path.Combine(backups, found)} is a database backup or an archive of the legacy files";
        }

        return null;
    }

    private static bool IsBackupOrArchive(string? name) =>
        name is not null && (name.EndsWith(".db", StringComparison.Ordinal) || (name.StartsWith("legacy-", StringComparison.Ordinal) && name.EndsWith(".tar.gz", StringComparison.Ordinal)));
}
