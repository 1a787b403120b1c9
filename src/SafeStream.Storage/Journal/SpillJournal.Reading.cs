using Microsoft.Extensions.Logging;
using SafeStream.Storage.Jsonl;

namespace SafeStream.Storage.Journal;

// Reading the journal: batches for the replay, events for reads from the files, the largest id for the id seed.
internal sealed partial class SpillJournal
{
    /// <summary>How long a journalled event stays news: replayed within this, it is announced to the other instances.</summary>
    public static readonly TimeSpan NewsFor = TimeSpan.FromSeconds(60);

    /// <summary>Reads up to <paramref name="maxRecords"/> from the checkpoint, or from where a batch not completed yet ends.</summary>
    public JournalBatch Read(int maxRecords, JournalPosition? from = null)
    {
        var reading = new BatchBuilder(_time.GetUtcNow() - NewsFor);
        var position = from ?? Volatile.Read(ref _checkpoint).Position;
        var segments = Segments();
        var inSegment = 0;
        foreach (var segment in segments.Where(s => s >= position.Segment))
        {
            var isLast = segment == segments[^1];
            var before = reading.Records;
            using var reader = new LineReader(SegmentFiles.OpenRead(SegmentPath(segment)), segment == position.Segment ? position.Offset : 0);
            var consumed = reader.Offset;
            while (reading.Records < maxRecords && reader.TryRead(out var line, out var terminated))
            {
                if (!terminated && isLast)
                {
                    break; // still being written, or torn by a crash: not ours to consume yet
                }

                if (!terminated)
                {
                    LogTornLine(_logger, SegmentPath(segment), reader.LineNumber);
                }
                else if (!line.IsEmpty)
                {
                    var (op, error) = JournalLines.Parse(line);
                    reading.Add(op);
                    if (op is null)
                    {
                        LogBadLine(_logger, SegmentPath(segment), reader.LineNumber, error);
                    }
                }

                consumed = reader.Offset;
            }

            position = new JournalPosition(segment, consumed);
            inSegment = reading.Records - before;
            if (reading.Records >= maxRecords || isLast)
            {
                break;
            }
        }

        return new JournalBatch(reading.Build(), reading.Records, position, inSegment);
    }

    /// <summary>The events of every segment still on disk, oldest first, for reads from the files during an outage.</summary>
    public IEnumerable<Model.StorageEvent> Events() =>
        Segments().SelectMany(segment => LegacyLogReader.ReadFile(SegmentPath(segment)))
            .Select(line => line.Event)
            .OfType<Model.StorageEvent>();

    /// <summary>The largest event id the journal holds (its segments are written in id order), or 0.</summary>
    public long MaxEventId() => Segments().Select(s => LegacyLogReader.MaxIdInTail(SegmentPath(s))).DefaultIfEmpty(0).Max();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Journal {File} line {Line} is cut short (a crash during a write); skipped")]
    private static partial void LogTornLine(ILogger logger, string file, long line);

    [LoggerMessage(Level = LogLevel.Error, Message = "Journal {File} line {Line} cannot be replayed: {Reason}")]
    private static partial void LogBadLine(ILogger logger, string file, long line, string? reason);
}
