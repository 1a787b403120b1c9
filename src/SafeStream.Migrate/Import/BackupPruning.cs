namespace SafeStream.Migrate.Import;

/// <summary>Every import backs the database up first; without pruning, <c>backups/</c> grows by a database per run.</summary>
internal static class BackupPruning
{
    private const string Pattern = "safestream-*-before-import.db";

    /// <summary>Removes all but the newest <paramref name="keep"/> import backups (0 keeps all); answers what it removed.</summary>
    public static IReadOnlyList<string> Prune(string folder, int keep)
    {
        if (keep == 0 || !Directory.Exists(folder))
        {
            return [];
        }

        // The names carry their UTC time (yyyyMMdd-HHmmss-fff), so ordinal order is age order.
        var old = Directory.EnumerateFiles(folder, Pattern).Order(StringComparer.Ordinal).SkipLast(keep).ToList();
        old.ForEach(File.Delete);
        return old;
    }
}
