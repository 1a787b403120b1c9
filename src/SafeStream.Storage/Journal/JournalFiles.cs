using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SafeStream.Storage.Jsonl;

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


    /// <summary>
    /// What a line of a journal segment (read with <see cref="LegacyLogReader.ReadFile"/>) holds: an event with its id,
    /// another write (an account, a patch, a setting: only the server's replayer applies those, in order, since a patch
    /// replayed after a later one would undo it), or nothing readable, with the reason.
    /// </summary>
    public static (JournalLineKind Kind, string? Error) Classify(LogLine line)
    {
        if (line.Event is { } e)
        {
            return e.Id == 0 ? (JournalLineKind.Unreadable, JournalLines.EventWithoutId) : (JournalLineKind.Event, null);
        }

        if (line.Raw is null)
        {
            return (JournalLineKind.Unreadable, line.Error);
        }

        var (op, error) = JournalLines.Parse(Encoding.UTF8.GetBytes(line.Raw));
        return op is null ? (JournalLineKind.Unreadable, error ?? line.Error) : (JournalLineKind.Write, null);
    }

    /// <summary>The journal's segment files, oldest first.</summary>
    public static IReadOnlyList<string> Segments(string directory) =>
        Directory.Exists(directory) ? [.. Directory.EnumerateFiles(directory, "journal-*.jsonl").Order(StringComparer.Ordinal)] : [];
}

/// <summary>What a journal line holds (see <see cref="JournalFiles.Classify"/>).</summary>
public enum JournalLineKind
{
    Event,
    Write,
    Unreadable,
}
