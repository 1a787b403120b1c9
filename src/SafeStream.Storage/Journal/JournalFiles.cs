using Microsoft.Extensions.Logging.Abstractions;

namespace SafeStream.Storage.Journal;

/// <summary>A look at a spill journal from outside the service (the migration tool's <c>status</c>).</summary>
public static class JournalFiles
{
    /// <summary>The lock its owner holds in a journal folder for as long as it runs.</summary>
    public const string LockName = SpillJournal.LockName;

    /// <summary>Records journalled and not yet replayed into the database; 0 when there is no journal.</summary>
    public static long Backlog(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        using var journal = new SpillJournal(directory, FsyncPolicy.EveryWrite, 1000, TimeProvider.System, NullLogger<SpillJournal>.Instance);
        return journal.Backlog;
    }

    /// <summary>The journal's segment files, oldest first.</summary>
    public static IReadOnlyList<string> Segments(string directory) =>
        Directory.Exists(directory) ? [.. Directory.EnumerateFiles(directory, "journal-*.jsonl").Order(StringComparer.Ordinal)] : [];
}
