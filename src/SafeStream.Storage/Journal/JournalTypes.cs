namespace SafeStream.Storage.Journal;

/// <summary>A place in the journal: a segment number and a byte offset in it.</summary>
internal readonly record struct JournalPosition(long Segment, long Offset);

/// <summary>
/// Writes read from the journal, where the next read starts once they are in the database, and how many of the
/// records lie in the segment of <see cref="Next"/> (what the checkpoint needs to count the backlog from disk).
/// </summary>
internal sealed record JournalBatch(IReadOnlyList<WriteOp> Ops, int Records, JournalPosition Next, int RecordsInLastSegment);

/// <summary>Another process owns the journal folder; its message names the folder and the owner.</summary>
internal sealed class JournalOwnedException(string message) : IOException(message);
