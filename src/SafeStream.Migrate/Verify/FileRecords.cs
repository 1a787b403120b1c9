using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Import;
using SafeStream.Migrate.Legacy;
using SafeStream.Storage.Retention;

namespace SafeStream.Migrate.Verify;

/// <summary>The file side of a comparison: every event of the legacy files, by key and content, into the scratch index.</summary>
internal static class FileRecords
{
    /// <param name="floor">Records older than it (removed by retention) are counted per kind in <paramref name="pruned"/>, not loaded.</param>
    /// <returns>Lines that hold no event, and journalled writes left to the server.</returns>
    public static (long Rejected, long JournalWrites) Load(ToolSettings settings, ScratchIndex scratch, bool includeJournal, CancellationToken cancellationToken, RetentionFloor? floor = null, long[]? pruned = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(scratch);
        var files = new LegacyFiles(settings.Storage, includeJournal);
        var content = new RecordContent();
        var paths = new Dictionary<string, long>(StringComparer.Ordinal);
        long rejected = 0, journalWrites = 0, lines = 0;
        foreach (var record in files.Records())
        {
            if ((++lines & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            switch (record.Kind)
            {
                case RecordKind.Event:
                    var e = record.Event;
                    if (floor?.Covers(e) == true)
                    {
                        if (pruned is not null)
                        {
                            pruned[(int)EventBatch.KindOf(e)]++;
                        }

                        break;
                    }

                    if (!paths.TryGetValue(record.Line.File, out var path))
                    {
                        paths[record.Line.File] = path = scratch.AddPath(record.Line.File);
                    }

                    scratch.AddFileRecord((int)EventBatch.KindOf(e), RecordContent.Key(e.Id, record.SourceKey), content.Hash(e), path, record.Line.LineNumber, e.Id == 0 ? null : e.Id);
                    break;
                case RecordKind.JournalWrite:
                    journalWrites++;
                    break;
                default:
                    rejected++;
                    break;
            }
        }

        return (rejected, journalWrites);
    }
}
