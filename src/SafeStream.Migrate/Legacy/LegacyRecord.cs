using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Model;

namespace SafeStream.Migrate.Legacy;

internal enum RecordKind
{
    /// <summary>An event: keyed by its id when the line has one, else by its source key.</summary>
    Event,

    /// <summary>A line that holds no event (malformed, truncated); it goes to the rejects file.</summary>
    Rejected,

    /// <summary>A journalled user, patch or setting: the server replays those itself, in order (see <see cref="JournalFiles.Classify"/>).</summary>
    JournalWrite,
}

/// <summary>One line of the legacy files as import and verify both see it.</summary>
/// <param name="Line">The line as the storage layer's reader returned it.</param>
/// <param name="Kind">What the line is.</param>
/// <param name="SourceKey">For an event without an id: its deterministic key; otherwise null.</param>
/// <param name="Reason">For a rejected line: why.</param>
/// <param name="NulReplaced">The event held U+0000 in its text, stored as U+FFFD.</param>
internal readonly record struct LegacyRecord(LogLine Line, RecordKind Kind, byte[]? SourceKey, string? Reason, bool NulReplaced = false)
{
    public StorageEvent Event => Line.Event ?? throw new InvalidOperationException("not an event");
}
